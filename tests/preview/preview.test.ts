import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Browser, chromium } from "playwright-core";
import { freePort, startServer, type TestServer, waitFor } from "../harness";
import { recorderScript, sessionRunning, VITE, viteProject, writeMessage } from "./support";

let server: TestServer;
let browser: Browser;
let app: string;
let viteSession: string;
let vitePort: number;
let recorderSession: string;
let recorderPort: number;

const rangeStart = 20_000 + Math.floor(Math.random() * 20_000);

beforeAll(async () => {
  server = await startServer({ env: { PREVIEW_PORT_RANGE: `${rangeStart}-${rangeStart + 19}` } });
  app = viteProject();
  viteSession = await sessionRunning(server, app, VITE, /Local:\s+http:\/\/\S+:\d+/);
  recorderSession = await sessionRunning(
    server,
    "/tmp",
    `${process.execPath} ${recorderScript()}`,
    /recorder listening/,
  );
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(sessionId: string, port: number, mode?: string) {
  return server.api("/api/preview", { method: "POST", json: { sessionId, port, ...(mode ? { mode } : {}) } });
}

describe("discovering what a session serves", () => {
  test("the port Vite listens on inside the session is listed with its process and printed URL", async () => {
    const r = await server.api(`/api/preview/ports?sessionId=${viteSession}`);
    expect(r.status).toBe(200);
    const vite = r.body.find((p: { command: string }) => p.command?.includes("vite"));
    expect(vite).toBeDefined();
    expect(vite.source).toBe("both");
    expect(vite.url).toBe(`http://localhost:${vite.port}/`);
    expect(vite.pid).toBeGreaterThan(0);
    vitePort = vite.port;
  });

  test("the original's discover route lists the session's URL with localhost made the caller's host", async () => {
    const r = await server.api("/api/preview/discover");
    expect(r.status).toBe(200);
    expect(r.body).toContainEqual(
      expect.objectContaining({ url: `http://127.0.0.1:${vitePort}/`, sessionName: expect.any(String) }),
    );
    const rec = await server.api(`/api/preview/ports?sessionId=${recorderSession}`);
    recorderPort = rec.body[0].port;
    expect(rec.body[0].source).toBe("both");
  });

  test("asking for the ports of an unknown session is a 404, a missing sessionId a 422 naming it", async () => {
    expect((await server.api(`/api/preview/ports?sessionId=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await server.api("/api/preview/ports?sessionId=nope")).status).toBe(422);
    const r = await server.api("/api/preview/ports");
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.error.issues)).toContain("sessionId");
  });
});

describe("opening a preview", () => {
  test("the Vite app loads through the preview in Chromium with HMR connected through OpenDray, and an edit shows without a reload", async () => {
    const r = await open(viteSession, vitePort);
    expect(r.status).toBe(201);
    const previewUrl = new URL(r.body.url);
    expect(Number(previewUrl.port)).toBeGreaterThanOrEqual(rangeStart);
    expect(Number(previewUrl.port)).not.toBe(vitePort);

    const page = await browser.newPage();
    // Vite's client falls back to its own port when the proxied socket fails: make that port unreachable.
    const direct: string[] = [];
    await page.route(
      (u) => u.port === String(vitePort),
      (route) => {
        direct.push(route.request().url());
        return route.abort();
      },
    );
    await page.routeWebSocket(
      (u) => u.port === String(vitePort),
      (ws) => {
        direct.push(ws.url());
        ws.close();
      },
    );
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const logs: string[] = [];
    page.on("console", (m) => logs.push(m.text()));

    await page.goto(r.body.url);
    await page.locator("#app", { hasText: "hello from vite" }).waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.has("opendray_preview_code")).toBe(false);
    await waitFor(() => logs.some((l) => l.includes("[vite] connected")), "Vite's HMR client to connect", 20_000);
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((s) => new URL(s).port === previewUrl.port)).toBe(true);

    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    writeMessage(app, "edited by the agent");
    await page.locator("#app", { hasText: "edited by the agent" }).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(direct).toEqual([]);
    await page.close();
  });

  test("a preview URL works once: the code is spent, and without the cookie the preview answers 401", async () => {
    const r = await open(viteSession, vitePort);
    const first = await fetch(r.body.url, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("set-cookie")).toMatch(/^opendray_preview_\w+=\S+; Path=\/; HttpOnly/);
    const again = await fetch(r.body.url, { redirect: "manual" });
    expect(again.status).toBe(401);
    const bare = await fetch(new URL("/", r.body.url), { redirect: "manual" });
    expect(bare.status).toBe(401);
  });

  test("a port no session owns cannot be opened (403)", async () => {
    const port = await freePort();
    const stray = Bun.serve({ hostname: "127.0.0.1", port, fetch: () => new Response("stray") });
    try {
      const r = await open(viteSession, port);
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain(`port ${port} is not listened on`);
    } finally {
      stray.stop(true);
    }
  });

  test("OpenDray's own port cannot be opened (403)", async () => {
    const r = await open(viteSession, server.port);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain("OpenDray's own port");
  });

  test("a bad body names the field", async () => {
    const r = await server.api("/api/preview", { method: "POST", json: { sessionId: viteSession, port: "x" } });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.error.issues)).toContain("port");
  });

  test("the previewed app never sees OpenDray's token, cookies or Authorization", async () => {
    const r = await open(recorderSession, recorderPort);
    const exchange = await fetch(r.body.url, { redirect: "manual" });
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const url = new URL(`/echo?token=${server.token}&q=1`, r.body.url);
    const res = await fetch(url, {
      headers: {
        cookie: `${cookie}; opendray_token=${server.token}; theme=dark`,
        authorization: `Bearer ${server.token}`,
      },
    });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { url: string; headers: Record<string, string> };
    const all = JSON.stringify(seen);
    expect(all).not.toContain(server.token);
    expect(all).not.toContain("opendray_preview");
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBe("theme=dark");
    expect(seen.headers.host).toBe(`127.0.0.1:${recorderPort}`);
    expect(seen.headers["x-forwarded-host"]).toBe(url.host);
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.url).toEndWith("/echo?q=1");
    expect(res.headers.get("set-cookie")).toBe("app_session=abc; Path=/; HttpOnly");

    const redirect = await fetch(new URL("/redirect", r.body.url), { headers: { cookie }, redirect: "manual" });
    expect(redirect.headers.get("location")).toBe(`${url.origin}/landed`);
  });

  test("in path mode the app is served under /preview/<id>/ with cookies and redirects kept under it", async () => {
    const r = await open(recorderSession, recorderPort, "path");
    expect(r.status).toBe(201);
    expect(r.body.url).toStartWith(`${server.url}/preview/${r.body.id}/?opendray_preview_code=`);
    const exchange = await fetch(r.body.url, { redirect: "manual" });
    expect(exchange.headers.get("location")).toBe(`/preview/${r.body.id}/`);
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(exchange.headers.get("set-cookie")).toContain(`Path=/preview/${r.body.id}/`);
    const res = await fetch(`${server.url}/preview/${r.body.id}/page`, { headers: { cookie } });
    const seen = (await res.json()) as { url: string; headers: Record<string, string> };
    expect(seen.url).toEndWith(`:${recorderPort}/page`);
    expect(seen.headers["x-forwarded-prefix"]).toBe(`/preview/${r.body.id}`);
    expect(res.headers.get("set-cookie")).toBe(`app_session=abc; Path=/preview/${r.body.id}/; HttpOnly`);
    const redirect = await fetch(`${server.url}/preview/${r.body.id}/redirect`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(redirect.headers.get("location")).toBe(`${server.url}/preview/${r.body.id}/landed`);
  });
});

describe("screenshots", () => {
  test("a phone-sized screenshot returns a PNG and the console error the page logged", async () => {
    const { body: p } = await open(viteSession, vitePort);
    const r = await server.api(`/api/preview/${p.id}/screenshot`, {
      method: "POST",
      json: { width: 390, height: 844, path: "/broken.html" },
    });
    expect(r.status).toBe(200);
    expect(r.body.mimeType).toBe("image/png");
    const png = Buffer.from(r.body.data, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(390);
    expect(r.body.consoleErrors).toContain("preview-test: the widget failed to load");
    expect(r.body.failedRequests).toContainEqual({ url: expect.stringContaining("/missing-data.json"), status: 404 });

    const raw = await fetch(`${server.url}/api/preview/${p.id}/screenshot`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, accept: "image/png", "content-type": "application/json" },
      body: JSON.stringify({ width: 800, height: 600 }),
    });
    expect(raw.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(bytes.readUInt32BE(16)).toBe(800);
    const report = JSON.parse(decodeURIComponent(raw.headers.get("x-opendray-screenshot") ?? "{}"));
    expect(report.consoleErrors).not.toContain("preview-test: the widget failed to load");
  });
});

describe("the panel switch", () => {
  test("with the preview panel disabled its routes and open previews answer 404, and work again when enabled", async () => {
    const { body: p } = await open(recorderSession, recorderPort);
    const exchange = await fetch(p.url, { redirect: "manual" });
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const origin = new URL(p.url).origin;
    expect((await fetch(`${origin}/x`, { headers: { cookie } })).status).toBe(200);
    await server.api("/api/providers/preview/toggle", { method: "PATCH", json: { enabled: false } });
    try {
      expect((await server.api(`/api/preview/ports?sessionId=${recorderSession}`)).status).toBe(404);
      expect((await open(recorderSession, recorderPort)).status).toBe(404);
      expect((await fetch(`${origin}/x`, { headers: { cookie } })).status).toBe(404);
    } finally {
      await server.api("/api/providers/preview/toggle", { method: "PATCH", json: { enabled: true } });
    }
    expect((await fetch(`${origin}/x`, { headers: { cookie } })).status).toBe(200);
  });
});
