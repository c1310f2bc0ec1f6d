import { expect, test } from "bun:test";
import {
  forwardHeaders,
  isOpenDrayToken,
  type ProxyTarget,
  rewriteLocation,
  rewriteSetCookie,
  stripCookies,
  upstreamUrl,
} from "./proxy";

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const jwt = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "admin", gen: 1, exp: 1 })}.sig`;
const origin: ProxyTarget = { host: "127.0.0.1", port: 5173, publicOrigin: "http://phone.lan:8650", basePath: "" };
const path: ProxyTarget = { ...origin, publicOrigin: "http://phone.lan:8640", basePath: "/preview/abc123" };

test("OpenDray's token and the preview code are removed from the query; the app's own token stays", () => {
  expect(upstreamUrl(origin, `/a?token=${jwt}&x=1&opendray_preview_code=c`)).toBe("http://127.0.0.1:5173/a?x=1");
  expect(upstreamUrl(origin, "/?token=vite-hmr-token", "ws")).toBe("ws://127.0.0.1:5173/?token=vite-hmr-token");
  expect(isOpenDrayToken("abc.def.ghi")).toBe(false);
});

test("the app's query reaches it exactly as the browser sent it", () => {
  expect(upstreamUrl(origin, "/search?q=a%20b+c&tags=x,y&opendray_preview_code=c&empty")).toBe(
    "http://127.0.0.1:5173/search?q=a%20b+c&tags=x,y&empty",
  );
});

test("OpenDray's cookies and Authorization never reach the app; X-Forwarded-* describe the browser's request", () => {
  const h = forwardHeaders(
    new Headers({
      cookie: "opendray_preview_x=s; theme=dark; OpenDray_token=t",
      authorization: "Bearer t",
      host: "phone.lan:8650",
      origin: "http://phone.lan:8650",
    }),
    origin,
    { ip: "10.0.0.2", proto: "https", host: "phone.lan:8650" },
  );
  expect(h.get("cookie")).toBe("theme=dark");
  expect(h.get("authorization")).toBeNull();
  expect(h.get("host")).toBeNull();
  expect(h.get("origin")).toBe("http://127.0.0.1:5173");
  expect([h.get("x-forwarded-for"), h.get("x-forwarded-proto"), h.get("x-forwarded-host")]).toEqual([
    "10.0.0.2",
    "https",
    "phone.lan:8650",
  ]);
  expect(stripCookies("opendray_a=1")).toBeNull();
});

test("redirects to the dev server point at the preview; in path mode root paths get the prefix", () => {
  expect(rewriteLocation("http://localhost:5173/login?next=1", origin)).toBe("http://phone.lan:8650/login?next=1");
  expect(rewriteLocation("https://github.com/login", origin)).toBe("https://github.com/login");
  expect(rewriteLocation("/login", path)).toBe("/preview/abc123/login");
  expect(rewriteLocation("http://0.0.0.0:5173/", path)).toBe("http://phone.lan:8640/preview/abc123/");
});

test("cookies the app sets lose their Domain and, in path mode, live under the prefix", () => {
  expect(rewriteSetCookie("sid=1; Domain=localhost; Path=/; HttpOnly", origin)).toBe("sid=1; Path=/; HttpOnly");
  expect(rewriteSetCookie("sid=1; Path=/api", path)).toBe("sid=1; Path=/preview/abc123/api");
  expect(rewriteSetCookie("sid=1", path)).toBe("sid=1; Path=/preview/abc123/");
  expect(rewriteSetCookie("opendray_preview_x=forged; Path=/", origin)).toBeNull();
});
