import { Elysia } from "elysia";
import { type AuthService, createAuthRoutes } from "../auth";
import { AppError } from "../errors";
import { errorResponse, originAllowed, RateLimiter } from "../http";
import { createSessionRoutes, type SessionService } from "../sessions";
import { buildTime, commit, version } from "../version";

// biome-ignore lint/suspicious/noExplicitAny: any feature plugin may be mounted
type AnyElysia = Elysia<any, any, any, any, any, any, any>;

export const MAX_BODY_BYTES = 1024 * 1024;
export const LLM_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface AppDeps {
  auth: AuthService;
  sessions: SessionService;
  allowedOrigins: string[];
  rateLimits: { mutationsPerMin: number; readsPerMin: number };
  /** Feature route groups mounted under /api by later features (providers, prompts, telegram…). */
  features?: AnyElysia[];
  /** Serves the web UI for every non-API path. */
  web?: AnyElysia;
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
      // The model gateway carries whole conversations (LLM_MAX_BODY_BYTES); everything else stays small.
      const max = request.url.includes("/llm/s/") ? LLM_MAX_BODY_BYTES : MAX_BODY_BYTES;
      if (length > max) throw new AppError("too_large", `request body over ${max / 1024 / 1024} MB`);
      if (request.method === "OPTIONS") return corsPreflight(request, deps.allowedOrigins);
    })
    .onAfterHandle(({ request, set }) => {
      const origin = request.headers.get("origin");
      if (origin && deps.allowedOrigins.length && originAllowed(request, deps.allowedOrigins)) {
        set.headers["access-control-allow-origin"] = origin;
        set.headers.vary = "Origin";
      }
    })
    .get("/api/health", () => ({
      status: "ok",
      service: "opendray",
      version,
      buildSha: commit,
      buildTime,
      sessions: deps.sessions.runningCount(),
    }))
    .use(createAuthRoutes(deps.auth))
    .use(
      createSessionRoutes({ sessions: deps.sessions, auth: deps.auth, limits, allowedOrigins: deps.allowedOrigins }),
    );
  for (const feature of deps.features ?? []) app = app.use(feature);
  const unknownApi = () => {
    throw new AppError("not_found", "no such API path");
  };
  app = app.get("/api/*", unknownApi).all("/api/*", unknownApi);
  return deps.web ? app.use(deps.web) : app.get("/*", () => placeholderPage());
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

function placeholderPage() {
  return new Response("<!doctype html><title>OpenDray</title><h1>OpenDray</h1><p>The web UI is not built.</p>", {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}
