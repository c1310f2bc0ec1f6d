const types: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  heic: "image/heic",
  bmp: "image/bmp",
  ico: "image/x-icon",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  json: "application/json",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  log: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  xml: "application/xml",
  wasm: "application/wasm",
  zip: "application/zip",
};

export function mimeOf(path: string): string {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return "application/octet-stream";
  return types[path.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}

/** Types a browser would run script in: served only with `Content-Security-Policy: sandbox`. */
export const isActive = (mime: string) => /^(text\/html|image\/svg\+xml|application\/xml|text\/xml)/.test(mime);

const imageExt: Record<string, string> = {
  "image/jpeg": ".jpg",
  "image/jpg": ".jpg",
  "image/webp": ".webp",
  "image/gif": ".gif",
  "image/heic": ".heic",
  "image/heif": ".heic",
  "image/png": ".png",
};

/** The extension for an uploaded image by its Content-Type (.png when unknown, as the original). */
export const imageExtension = (contentType: string | null) =>
  imageExt[(contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? ""] ?? ".png";
