import { Elysia } from "elysia";
import { AppError, notFound } from "../errors/index";
import { errorResponse } from "../http";
import { log } from "../log/index";
import { CSP, contentType, isHashed } from "./mime";
import { buildingPage, placeholderPage } from "./placeholder";
import { buildSourceUi, sourceAssets, sourceUi, uiBuilding, uiStale } from "./source-ui";

interface Assets {
  assets: Record<string, string>;
}

const checkout = sourceUi();

/** From a checkout: builds the app when it is missing or older than ui/src (the server keeps answering meanwhile). */
export function ensureWebApp(): Promise<boolean> | undefined {
  if (!checkout || !uiStale(checkout)) return undefined;
  return buildSourceUi(checkout);
}

const badPath = new AppError("bad_request", "malformed percent-encoding in the path");

let loading: Promise<Assets | null> | null = null;

/** The generated module exists only after `bun run scripts/build-ui.ts`. */
function loadAssets(): Promise<Assets | null> {
  if (checkout) {
    const assets = sourceAssets(checkout);
    return Promise.resolve(assets ? { assets } : null);
  }
  loading ??=
    // biome-ignore lint/suspicious/noTsIgnore: the module may or may not exist, so @ts-expect-error cannot be used
    // @ts-ignore: assets.gen.ts is generated at build time and absent in a fresh checkout
    (import("./assets.gen.ts") as Promise<Assets>).catch(() => {
      log.warn("web UI not built; serving a placeholder page", { hint: "bun run build:ui" });
      return null;
    });
  return loading;
}

function pickEncoding(accept: string | null, path: string, assets: Record<string, string>): "br" | "gzip" | null {
  const a = accept ?? "";
  if (/\bbr\b/.test(a) && assets[`${path}.br`]) return "br";
  if (/\bgzip\b/.test(a) && assets[`${path}.gz`]) return "gzip";
  return null;
}

function serve(req: Request, path: string, assets: Record<string, string>): Response {
  const encoding = pickEncoding(req.headers.get("accept-encoding"), path, assets);
  const file = encoding ? assets[`${path}${encoding === "br" ? ".br" : ".gz"}`] : assets[path];
  const headers: Record<string, string> = {
    "content-type": contentType(path),
    "cache-control": isHashed(path) ? "public, max-age=31536000, immutable" : "no-cache",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    vary: "Accept-Encoding",
  };
  if (encoding) headers["content-encoding"] = encoding;
  if (path === "/sw.js") headers["service-worker-allowed"] = "/";
  return new Response(req.method === "HEAD" ? null : Bun.file(file as string), { headers });
}

export async function webResponse(req: Request): Promise<Response> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url).pathname);
  } catch {
    throw badPath;
  }
  if (path === "/api" || path.startsWith("/api/")) {
    // Never let an unknown API path fall through to the app.
    throw notFound("route");
  }
  const built = await loadAssets();
  if (!built) {
    return new Response(uiBuilding() ? buildingPage : placeholderPage, {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const { assets } = built;
  if (path !== "/" && !path.endsWith(".gz") && !path.endsWith(".br") && assets[path]) return serve(req, path, assets);
  // A missing hashed asset is a stale page asking for the previous build: a real 404, not the app.
  if (path.startsWith("/assets/")) throw notFound("asset");
  return serve(req, "/index.html", assets);
}

/**
 * Serves the embedded web app: static files, and index.html for every other non-API GET path
 * (client-side routes). Mount after the API routes: `app.use(createWebRoutes())`.
 */
export function createWebRoutes() {
  return new Elysia({ name: "web" })
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .get("/", ({ request }) => webResponse(request))
    .get("/*", ({ request }) => webResponse(request));
}
