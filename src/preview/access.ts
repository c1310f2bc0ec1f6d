import { randomBytes, timingSafeEqual } from "node:crypto";
import { CODE_PARAM, queryWithout } from "./proxy";

const CODE_TTL_MS = 5 * 60 * 1000;

/**
 * Who may use one preview: a one-time code from the URL, exchanged for an HttpOnly cookie that only
 * this preview accepts (the cookie name carries the id, the value is this preview's own secret).
 */
export class PreviewAccess {
  private readonly secret = randomBytes(32).toString("base64url");
  private readonly codes = new Map<string, number>();
  readonly cookieName: string;

  constructor(
    id: string,
    private readonly cookiePath: string,
  ) {
    this.cookieName = `opendray_preview_${id}`;
  }

  issueCode(): string {
    const now = Date.now();
    for (const [c, exp] of this.codes) if (exp < now) this.codes.delete(c);
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, now + CODE_TTL_MS);
    return code;
  }

  /** Uses up the code; true when it was valid. */
  redeem(code: string): boolean {
    const expires = this.codes.get(code);
    this.codes.delete(code);
    return expires !== undefined && expires >= Date.now();
  }

  hasCookie(cookieHeader: string | null): boolean {
    if (!cookieHeader) return false;
    const prefix = `${this.cookieName}=`;
    for (const part of cookieHeader.split(";")) {
      const c = part.trim();
      if (!c.startsWith(prefix)) continue;
      const a = Buffer.from(c.slice(prefix.length));
      const b = Buffer.from(this.secret);
      if (a.length === b.length && timingSafeEqual(a, b)) return true;
    }
    return false;
  }

  /** The cookie granting access; cross-site frames need SameSite=None, which needs https. */
  setCookie(secure: boolean): string {
    const site = secure ? "SameSite=None; Secure" : "SameSite=Lax";
    return `${this.cookieName}=${this.secret}; Path=${this.cookiePath}; HttpOnly; ${site}`;
  }
}

/**
 * Answers the request when it is about access (a code to exchange, or no valid cookie); otherwise
 * undefined and the request may be proxied. The exchange redirects to the same path and query
 * without the code: the page the link was made for.
 */
export function checkAccess(request: Request, access: PreviewAccess, secure: boolean): Response | undefined {
  const url = new URL(request.url);
  const code = url.searchParams.get(CODE_PARAM);
  if (code !== null) {
    const ok = access.redeem(code) || access.hasCookie(request.headers.get("cookie"));
    if (!ok) return denied();
    const headers = new Headers({ location: landing(url), "cache-control": "no-store" });
    headers.append("set-cookie", access.setCookie(secure));
    return new Response(null, { status: 302, headers });
  }
  if (!access.hasCookie(request.headers.get("cookie"))) return denied();
  return undefined;
}

/**
 * Where a code exchange lands: the request's path on this same host, and its query as it was sent
 * minus the code. `//host/…` would be another host to a browser, so leading slashes fold into one.
 */
function landing(url: URL): string {
  return `${url.pathname.replace(/^\/+/, "/")}${queryWithout(url.search, (name) => name === CODE_PARAM)}`;
}

const denied = () =>
  new Response(
    "<!doctype html><meta charset=utf-8><title>Preview link expired</title><p>This preview link was already used or has expired. Open the preview again from OpenDray.</p>",
    { status: 401, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
  );
