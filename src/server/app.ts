import { Elysia } from "elysia";
import { type AuthService, authenticate, createAuthRoutes, needsToken } from "../auth";
import { AppError } from "../errors";
import { errorResponse, MAX_BODY_BYTES, originAllowed, parseBody, pathDecodes, RateLimiter } from "../http";
import { createSessionRoutes, type SessionService } from "../sessions";
import { activeFaults } from "../shared/faults";
import { buildTime, commit, version } from "../version";

// biome-ignore lint/suspicious/noExplicitAny: any feature plugin may be mounted
type AnyElysia = Elysia<any, any, any, any, any, any, any>;

export { MAX_BODY_BYTES };

/** Routes that take files (attached images, uploads) may carry 25 MB; they check the size themselves. */
const UPLOAD_PATH = /^\/api\/(files\/upload|sessions\/[^/]+\/image)$/;
export const MAX_UPLOAD_BODY_BYTES = 25 * 1024 * 1024 + 64 * 1024;
export const LLM_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface AppDeps {
  auth: AuthService;
  sessions: SessionService;
  allowedOrigins: string[];
  rateLimits: { mutationsPerMin: number; readsPerMin: number };
  /** Proxies whose X-Forwarded-For names the client (server.trusted_proxies). */
  trustedProxies?: string[];
  /** Feature route groups mounted under /api by later features (providers, prompts, telegram…). */
  features?: AnyElysia[];
  /** The body size a request forwarded elsewhere may carry (the preview proxies), undefined for the rest. */
  proxiedBodyLimit?: (request: Request) => number | undefined;
  /** Serves the web UI for every non-API path (a placeholder page until the UI is built). */
  web: AnyElysia;
}

export function createApp(deps: AppDeps) {
  const limits = {
    mutations: new RateLimiter(deps.rateLimits.mutationsPerMin),
    reads: new RateLimiter(deps.rateLimits.readsPerMin),
  };
  let app: AnyElysia = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      // The model gateway carries whole conversations; uploads carry files; everything else stays small.
      const path = new URL(request.url).pathname;
      const max =
        deps.proxiedBodyLimit?.(request) ??
        (path.startsWith("/llm/s/")
          ? LLM_MAX_BODY_BYTES
          : UPLOAD_PATH.test(path)
            ? MAX_UPLOAD_BODY_BYTES
            : MAX_BODY_BYTES);
      if (length > max) throw new AppError("too_large", `request body over ${Math.round(max / 1024 / 1024)} MB`);
      if (!pathDecodes(request)) throw new AppError("bad_request", "malformed percent-encoding in the path");
      if (request.method === "OPTIONS") return corsPreflight(request, deps.allowedOrigins);
    })
    .onParse(async ({ request, contentType }) => {
      const path = new URL(request.url).pathname;
      // Outside /api (the model gateway) bodies are the route's own, read raw (see parseBody's null).
      if (!path.startsWith("/api/")) return null;
      try {
        const upload = UPLOAD_PATH.test(path);
        return await parseBody(request, contentType, upload ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES);
      } catch (error) {
        // A malformed body tells a caller without a token nothing: authentication answers first.
        if (needsToken(path)) await authenticate(deps.auth, request);
        throw error;
      }
    })
    .onAfterHandle(({ request, set }) => {
      const origin = request.headers.get("origin");
      if (origin && deps.allowedOrigins.length && originAllowed(request, deps.allowedOrigins)) {
        set.headers["access-control-allow-origin"] = origin;
        set.headers.vary = "Origin";
      }
    })
    .get("/api/health", ({ set }) => {
      const faults = activeFaults();
      if (faults.length) set.status = 503;
      return {
        status: faults.length ? "degraded" : "ok",
        service: "opendray",
        version,
        buildSha: commit,
        buildTime,
        sessions: deps.sessions.runningCount(),
        db: faults.some((f) => f.area === "db") ? "down" : "up",
        disk: faults.some((f) => f.area === "disk") ? "failing" : "ok",
        problems: faults.map((f) => ({ area: f.area, message: f.message, since: f.since })),
      };
    })
    .use(createAuthRoutes(deps.auth, { trustedProxies: deps.trustedProxies }))
    .use(
      createSessionRoutes({ sessions: deps.sessions, auth: deps.auth, limits, allowedOrigins: deps.allowedOrigins }),
    );
  for (const feature of deps.features ?? []) app = app.use(feature);
  const unknownApi = () => {
    throw new AppError("not_found", "no such API path");
  };
  app = app.get("/api/*", unknownApi).all("/api/*", unknownApi);
  return app.use(deps.web);
}

function corsPreflight(request: Request, allowed: string[]) {
  const origin = request.headers.get("origin");
  const headers: Record<string, string> = { vary: "Origin" };
  if (origin && allowed.length && originAllowed(request, allowed)) {
    headers["access-control-allow-origin"] = origin;
    headers["access-control-allow-methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    headers["access-control-allow-headers"] = "authorization, content-type";
  }
  return new Response(null, { status: 204, headers });
}
