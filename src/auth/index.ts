import { Elysia } from "elysia";
import { AppError } from "../errors";
import { ChangeCredentialsBody, LoginBody, OneTimeBody } from "./model";
import type { AuthService } from "./service";

export { AuthService, setAdminCredentials } from "./service";

export function tokenFrom(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return new URL(request.url).searchParams.get("token");
}

/** Resolves the caller's identity; routes registered after it require a valid token. */
export const requireAuth = (auth: AuthService) =>
  new Elysia({ name: "require-auth" }).resolve({ as: "scoped" }, ({ request }) => {
    const token = tokenFrom(request);
    if (!token) throw new AppError("unauthorized", "missing token");
    const claims = auth.verify(token);
    if (!claims) throw new AppError("unauthorized", "invalid or expired token");
    return { user: claims.sub };
  });

export function createAuthRoutes(auth: AuthService) {
  return new Elysia({ prefix: "/api/auth" })
    .get("/status", async () => ({ authRequired: true, adminConfigured: await auth.adminConfigured() }))
    .post("/login", ({ body }) => auth.login(body.username, body.password), { body: LoginBody })
    .post("/one-time", ({ body }) => auth.exchangeOneTimeCode(body.code), { body: OneTimeBody })
    .use(requireAuth(auth))
    .post("/change-credentials", ({ body, user }) => auth.changeCredentials(user, body), {
      body: ChangeCredentialsBody,
    });
}
