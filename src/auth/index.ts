import { Elysia } from "elysia";
import { AppError } from "../errors";
import { clientIp, proxyMatcher } from "../http";
import type { Claims } from "./jwt";
import { ChangeCredentialsBody, LoginBody, OneTimeBody } from "./model";
import type { AuthService } from "./service";

export type { Claims } from "./jwt";
export { AuthService, setAdminCredentials } from "./service";

export function tokenFrom(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return new URL(request.url).searchParams.get("token");
}

type Verifier = Pick<AuthService, "verify">;

/** The API paths that answer without a token; every other /api path needs one. */
const PUBLIC_API_PATHS = new Set(["/api/health", "/api/auth/status", "/api/auth/login", "/api/auth/one-time"]);
export const needsToken = (path: string) => path.startsWith("/api/") && !PUBLIC_API_PATHS.has(path.replace(/\/+$/, ""));
const checked = new WeakMap<Request, Promise<Claims>>();

/** The caller's claims, or a 401; checked once per request however many hooks ask. */
export function authenticate(auth: Verifier, request: Request): Promise<Claims> {
  let claims = checked.get(request);
  if (!claims) {
    claims = (async () => {
      const token = tokenFrom(request);
      if (!token) throw new AppError("unauthorized", "missing token");
      const valid = await auth.verify(token);
      if (!valid) throw new AppError("unauthorized", "invalid, expired or revoked token");
      return valid;
    })();
    checked.set(request, claims);
  }
  return claims;
}

/**
 * Routes registered after it require a valid token. The check runs before the body is parsed or
 * validated (parse and transform hooks; `resolve` would run after validation), so a caller without
 * a token learns nothing about the schema.
 */
export const requireAuth = (auth: Verifier) =>
  new Elysia({ name: "require-auth" })
    .onParse({ as: "scoped" }, async ({ request }) => {
      await authenticate(auth, request);
    })
    .derive({ as: "scoped" }, async ({ request }) => ({ user: (await authenticate(auth, request)).sub }));

export function createAuthRoutes(auth: AuthService, options: { trustedProxies?: string[] } = {}) {
  const trusted = proxyMatcher(options.trustedProxies ?? []);
  return new Elysia({ prefix: "/api/auth" })
    .get("/status", async () => ({ authRequired: true, adminConfigured: await auth.adminConfigured() }))
    .post(
      "/login",
      ({ body, request, server }) => auth.login(body.username, body.password, clientIp(request, server, trusted)),
      { body: LoginBody },
    )
    .post(
      "/one-time",
      ({ body, request, server }) => auth.exchangeOneTimeCode(body.code, clientIp(request, server, trusted)),
      {
        body: OneTimeBody,
      },
    )
    .use(requireAuth(auth))
    .post("/change-credentials", ({ body, user }) => auth.changeCredentials(user, body), {
      body: ChangeCredentialsBody,
    })
    .post("/logout-all", ({ user }) => auth.logoutAll(user));
}
