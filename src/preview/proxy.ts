/** Where a preview forwards to and how the previewed app is seen from outside. */
export interface ProxyTarget {
  /** host as it goes in a URL: 127.0.0.1 or [::1] */
  host: string;
  port: number;
  /** The preview's own origin as the browser sees it, e.g. http://192.168.1.5:8650 */
  publicOrigin: string;
  /** "" in origin and domain mode; "/preview/<id>" in path mode. */
  basePath: string;
}

export interface ClientInfo {
  ip: string;
  proto: "http" | "https";
  /** The Host the browser sent. */
  host: string;
}

/** The one-time code parameter a preview URL carries. */
export const CODE_PARAM = "opendray_preview_code";

/** Request headers never forwarded: hop-by-hop ones, and OpenDray's credentials. */
const DROP_REQUEST = [
  "authorization",
  "proxy-authorization",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-prefix",
  "forwarded",
];

/** OpenDray's own cookies (the preview session cookies among them) never reach the previewed app. */
const isOpenDrayCookie = (name: string) => /^opendray/i.test(name.trim());

export function stripCookies(header: string | null): string | null {
  if (!header) return null;
  const kept = header
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c && !isOpenDrayCookie(c.slice(0, c.indexOf("=") >>> 0)));
  return kept.length ? kept.join("; ") : null;
}

/** OpenDray's token has the shape of its JWT: HS256 with `sub` and `gen` claims. */
export function isOpenDrayToken(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 3) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString());
    const claims = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString());
    return header?.alg === "HS256" && typeof claims?.sub === "string" && typeof claims?.gen === "number";
  } catch {
    return false;
  }
}

/** `search` (`?a=1&b=2`) as it was sent, minus the parameters `drop` names; "" when none is left. */
export function queryWithout(search: string, drop: (name: string, value: string) => boolean): string {
  const kept = search
    .slice(1)
    .split("&")
    .filter((part) => {
      if (!part) return false;
      const eq = part.indexOf("=");
      const [name, value] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      try {
        return !drop(decodeURIComponent(name.replaceAll("+", " ")), decodeURIComponent(value.replaceAll("+", " ")));
      } catch {
        return true;
      }
    });
  return kept.length ? `?${kept.join("&")}` : "";
}

/** A preview's own parameters and OpenDray's token, never the app's. */
const notTheApps = (name: string, value: string) => name === CODE_PARAM || (name === "token" && isOpenDrayToken(value));

/** The upstream URL for a request path (already without the path-mode prefix), credentials removed. */
export function upstreamUrl(target: ProxyTarget, pathAndQuery: string, scheme: "http" | "ws" = "http"): string {
  const url = new URL(pathAndQuery, "http://x");
  return `${scheme}://${target.host}:${target.port}${url.pathname}${queryWithout(url.search, notTheApps)}`;
}

/** Request headers for the upstream: Host follows the target URL, X-Forwarded-* describe the client. */
export function forwardHeaders(incoming: Headers, target: ProxyTarget, client: ClientInfo): Headers {
  const headers = new Headers(incoming);
  for (const name of DROP_REQUEST) headers.delete(name);
  const cookie = stripCookies(incoming.get("cookie"));
  if (cookie) headers.set("cookie", cookie);
  else headers.delete("cookie");
  // A dev server's CORS and origin checks expect its own origin, not the preview's.
  const origin = incoming.get("origin");
  if (origin && origin === target.publicOrigin) headers.set("origin", `http://${target.host}:${target.port}`);
  const referer = incoming.get("referer");
  if (referer?.startsWith(`${target.publicOrigin}/`))
    headers.set("referer", `http://${target.host}:${target.port}${referer.slice(target.publicOrigin.length)}`);
  headers.set("x-forwarded-for", client.ip);
  headers.set("x-forwarded-host", client.host);
  headers.set("x-forwarded-proto", client.proto);
  if (target.basePath) headers.set("x-forwarded-prefix", target.basePath);
  return headers;
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/i;

/** A Location pointing at the dev server (or root-relative in path mode) made to point at the preview. */
export function rewriteLocation(location: string, target: ProxyTarget): string {
  if (location.startsWith("/") && !location.startsWith("//")) return `${target.basePath}${location}`;
  try {
    const url = new URL(location);
    if (LOCAL_HOST.test(url.hostname) && Number(url.port || 80) === target.port)
      return `${target.publicOrigin}${target.basePath}${url.pathname}${url.search}${url.hash}`;
  } catch {}
  return location;
}

/** A Set-Cookie bound to the preview's host: no Domain; in path mode, paths under the prefix. */
export function rewriteSetCookie(cookie: string, target: ProxyTarget): string | null {
  const [pair = "", ...attrs] = cookie.split(";");
  if (isOpenDrayCookie(pair.slice(0, pair.indexOf("=") >>> 0))) return null;
  const kept: string[] = [];
  let hasPath = false;
  for (const attr of attrs) {
    const a = attr.trim();
    const name = a.split("=")[0]?.toLowerCase();
    if (name === "domain") continue;
    if (name === "path") {
      hasPath = true;
      const value = a.slice(a.indexOf("=") + 1) || "/";
      kept.push(`Path=${target.basePath}${value.startsWith("/") ? value : `/${value}`}`);
    } else kept.push(a);
  }
  if (!hasPath && target.basePath) kept.push(`Path=${target.basePath}/`);
  return [pair.trim(), ...kept].join("; ");
}

const DROP_RESPONSE = ["connection", "keep-alive", "transfer-encoding", "set-cookie", "location"];

export function responseHeaders(upstream: Headers, target: ProxyTarget): Headers {
  const headers = new Headers(upstream);
  for (const name of DROP_RESPONSE) headers.delete(name);
  const location = upstream.get("location");
  if (location) headers.set("location", rewriteLocation(location, target));
  for (const c of upstream.getSetCookie()) {
    const rewritten = rewriteSetCookie(c, target);
    if (rewritten) headers.append("set-cookie", rewritten);
  }
  return headers;
}

/** Forwards one HTTP request; the body streams both ways, compressed bytes pass untouched. */
export async function proxyHttp(
  request: Request,
  target: ProxyTarget,
  pathAndQuery: string,
  client: ClientInfo,
): Promise<Response> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await fetch(upstreamUrl(target, pathAndQuery), {
      method: request.method,
      headers: forwardHeaders(request.headers, target, client),
      body: hasBody ? request.body : undefined,
      redirect: "manual",
      decompress: false,
    });
  } catch (e) {
    return new Response(
      `OpenDray preview: nothing answers on port ${target.port} (${(e as Error).message}). Is the dev server still running?`,
      { status: 502, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream.headers, target),
  });
}
