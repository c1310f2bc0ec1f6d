import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";
import { recorderScript, sessionRunning } from "./support";

let server: TestServer;
let sessionId: string;
let port: number;

beforeAll(async () => {
  server = await startServer({
    env: { PREVIEW_DOMAIN: "preview.example.test", PREVIEW_BROWSER: "/nonexistent/chromium" },
  });
  sessionId = await sessionRunning(server, "/tmp", `${process.execPath} ${recorderScript()}`, /recorder listening/);
  const ports = await waitFor(async () => {
    const r = await server.api(`/api/preview/ports?sessionId=${sessionId}`);
    return r.body.length ? r.body : null;
  }, "the recorder's port");
  port = ports[0].port;
});
afterAll(() => server?.stop());

test("behind a wildcard name each preview is https://<id>.<preview.domain>, served by OpenDray's own port", async () => {
  const r = await server.api("/api/preview", { method: "POST", json: { sessionId, port } });
  expect(r.status).toBe(201);
  expect(r.body.mode).toBe("domain");
  const url = new URL(r.body.url);
  expect(url.origin).toBe(`https://${r.body.id}.preview.example.test`);
  // The reverse proxy forwards the wildcard name to OpenDray, keeping Host and saying https.
  const host = url.host;
  const exchange = await fetch(`${server.url}/${url.search}`, {
    headers: { host, "x-forwarded-proto": "https" },
    redirect: "manual",
  });
  expect(exchange.status).toBe(302);
  const setCookie = exchange.headers.get("set-cookie") ?? "";
  expect(setCookie).toContain("HttpOnly; SameSite=None; Secure");
  const cookie = setCookie.split(";")[0] ?? "";
  const res = await fetch(`${server.url}/page`, { headers: { host, cookie, "x-forwarded-proto": "https" } });
  const seen = (await res.json()) as { url: string; headers: Record<string, string> };
  expect(seen.url).toEndWith(`:${port}/page`);
  expect(seen.headers["x-forwarded-host"]).toBe(host);
  expect(seen.headers["x-forwarded-proto"]).toBe("https");
  const other = await fetch(`${server.url}/page`, { headers: { host: "nope.preview.example.test", cookie } });
  expect(other.status).toBe(404);
});

test("a domain-mode preview opened at a page lands on that page after the code exchange", async () => {
  const r = await server.api("/api/preview", { method: "POST", json: { sessionId, port, path: "/some/page?x=1" } });
  expect(r.status).toBe(201);
  const url = new URL(r.body.url);
  expect(url.pathname).toBe("/some/page");
  const exchange = await fetch(`${server.url}${url.pathname}${url.search}`, {
    headers: { host: url.host, "x-forwarded-proto": "https" },
    redirect: "manual",
  });
  expect(exchange.status).toBe(302);
  expect(exchange.headers.get("location")).toBe("/some/page?x=1");
});

test("without Chromium the screenshot route is a 503 naming the missing browser", async () => {
  const { body: p } = await server.api("/api/preview", { method: "POST", json: { sessionId, port } });
  const r = await server.api(`/api/preview/${p.id}/screenshot`, { method: "POST", json: {} });
  expect(r.status).toBe(503);
  expect(r.body.error.message).toContain("headless Chromium, not found at /nonexistent/chromium");
});
