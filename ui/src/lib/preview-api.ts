import { request } from "./api";

export interface PreviewPort {
  port: number;
  pid: number | null;
  command: string | null;
  url: string | null;
  source: "process" | "output" | "both";
}

export interface OpenedPreview {
  id: string;
  url: string;
  port: number;
  mode: "origin" | "domain" | "path";
}

export interface PreviewShot {
  mimeType: string;
  data: string;
  consoleErrors: string[];
  failedRequests: { url: string; status?: number; error?: string }[];
}

export const previewApi = {
  ports: (sessionId: string) =>
    request<PreviewPort[]>("GET", `/api/preview/ports?sessionId=${encodeURIComponent(sessionId)}`),
  /** A preview URL with a fresh one-time code (each load of a new tab needs one), at `path` in the app. */
  open: (sessionId: string, port: number, path?: string) =>
    request<OpenedPreview>("POST", "/api/preview", { sessionId, port, ...(path ? { path } : {}) }),
  screenshot: (id: string, width: number, height: number) =>
    request<PreviewShot>("POST", `/api/preview/${id}/screenshot`, { width, height }),
};

/**
 * The preview URL without its one-time code: reloading the frame uses the cookie the code bought.
 * The app's own query stays as it was written (URLSearchParams would re-encode it).
 */
export function withoutCode(url: string): string {
  const u = new URL(url);
  const query = u.search
    .slice(1)
    .split("&")
    .filter((part) => part && part.split("=")[0] !== "opendray_preview_code")
    .join("&");
  return `${u.origin}${u.pathname}${query ? `?${query}` : ""}${u.hash}`;
}
