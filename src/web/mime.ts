const types: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  webmanifest: "application/manifest+json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  webp: "image/webp",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
  map: "application/json",
};

export function contentType(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return types[ext] ?? "application/octet-stream";
}

/** Vite names built assets name-<hash>.ext under /assets/: safe to cache forever. */
export const isHashed = (path: string) => /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.\w+$/.test(path);

// xterm sets inline styles and injects <style> elements, hence 'unsafe-inline' for styles only.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  // The Preview screen frames a session's dev server on its own origin (another port or host).
  "frame-src 'self' http: https:",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");
