import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";
import { SessionSocket } from "../ws-client";

// Issue 12, Auth 1–5: revocation, login throttling, env admin, auth before validation.
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { SHELL: "/bin/sh" } });
});
afterAll(() => server?.stop());

const NEW_PASSWORD = "changed-in-settings";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, token: string) => fetch(`${server.url}${path}`, { headers: bearer(token) });

async function login(username: string, password: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  });
  return { status: r.status, retryAfter: Number(r.headers.get("retry-after")), body: (await r.json()) as any };
}

async function oneTime(code: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${server.url}/api/auth/one-time`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ code }),
  });
  return r.status;
}

/** The HTTP status a WebSocket upgrade gets (101 when it is accepted). */
async function upgradeStatus(path: string) {
  const r = await fetch(`${server.url}${path}`, {
    headers: {
      upgrade: "websocket",
      connection: "upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  return r.status;
}

async function attachedShell(token: string, id?: string) {
  const sessionId =
    id ?? (await server.api("/api/sessions", { method: "POST", json: { name: "auth", cwd: "/tmp" } })).body.id;
  const ws = new SessionSocket(server.url, sessionId, token);
  let closeCode = 0;
  ws.ws.addEventListener("close", (e) => {
    closeCode = e.code;
  });
  await ws.until((w) => w.replayDone, "replay_end");
  return { id: sessionId as string, ws, closeCode: () => closeCode };
}

describe("tokens end when the credentials change", () => {
  test("a password change signs out every other device and closes its terminals; the caller carries on", async () => {
    const other = (await login(server.username, server.password)).body.token as string;
    const before = server.token;
    const shell = await attachedShell(other);
    shell.ws.send({ type: "input", data: "echo ready-$((1+1))\r" });
    await shell.ws.until((w) => w.text.includes("ready-2"), "the shell to answer");

    const changed = await server.api("/api/auth/change-credentials", {
      method: "POST",
      json: { currentPassword: server.password, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    await shell.ws.until((w) => w.closed, "the other device's terminal to close", 5000);
    expect(shell.closeCode()).toBe(4401);
    for (const stale of [other, before]) {
      expect((await get("/api/sessions", stale)).status).toBe(401);
      expect(await upgradeStatus(`/api/sessions/${shell.id}/ws?token=${stale}`)).toBe(401);
    }
    server.token = changed.body.token;
    server.password = NEW_PASSWORD;
    expect((await get("/api/sessions", server.token)).status).toBe(200);
    const again = await attachedShell(server.token, shell.id);
    again.ws.close();
  });

  test("logout-all ends every token including the caller's, which gets a fresh one", async () => {
    const other = (await login(server.username, server.password)).body.token as string;
    const shell = await attachedShell(other);
    const before = server.token;
    const out = await server.api("/api/auth/logout-all", { method: "POST" });
    expect(out.status).toBe(200);
    await shell.ws.until((w) => w.closed, "the terminal to close", 5000);
    expect(shell.closeCode()).toBe(4401);
    expect((await get("/api/sessions", other)).status).toBe(401);
    expect((await get("/api/sessions", before)).status).toBe(401);
    expect((await get("/api/sessions", out.body.token)).status).toBe(200);
    server.token = out.body.token;
  });
});

describe("authentication comes before validation", () => {
  const cases: [string, string, string | undefined][] = [
    ["POST", "/api/sessions", '{"cwd":42}'],
    ["POST", "/api/sessions", "{nope"],
    ["POST", "/api/sessions/not-a-uuid/input", '{"input":1}'],
    ["GET", "/api/sessions/not-a-uuid/buffer?since=-1", undefined],
    ["POST", "/api/sessions/not-a-uuid/prompt/answer", '{"keys":7}'],
    ["GET", "/api/sessions/not-a-uuid/diff", undefined],
    ["PUT", "/api/providers/Bad%20Name/config", '{"nope":true}'],
    ["PUT", "/api/telegram/settings", '{"botToken":5}'],
    ["POST", "/api/push/subscribe", '{"endpoint":"ftp://x"}'],
    ["POST", "/api/auth/change-credentials", '{"newPassword":1}'],
    ["POST", "/api/auth/logout-all", undefined],
  ];
  test("without a valid token every authenticated route answers 401 and no schema detail", async () => {
    for (const authorization of [undefined, "Bearer nope.nope.nope"]) {
      for (const [method, path, body] of cases) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (authorization) headers.authorization = authorization;
        const r = await fetch(`${server.url}${path}`, { method, headers, body });
        const answer = (await r.json()) as { error: { code: string; issues?: unknown } };
        expect({ method, path, status: r.status, code: answer.error.code, issues: answer.error.issues }).toEqual({
          method,
          path,
          status: 401,
          code: "unauthorized",
          issues: undefined,
        });
      }
    }
    expect(await upgradeStatus("/api/sessions/not-a-uuid/ws?since=-1")).toBe(401);
  });
});

describe("login and one-time codes are throttled", () => {
  test("after five wrong passwords the IP waits, with Retry-After doubling; X-Forwarded-For from an untrusted peer changes nothing", async () => {
    for (let i = 0; i < 5; i++) expect((await login("mallory", `guess-${i}`)).status).toBe(401);
    const refused = await login("someone-else", "guess", { "x-forwarded-for": "198.51.100.99" });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect((await login(server.username, server.password)).status).toBe(429);
    expect(await oneTime("not-a-real-code")).toBe(429);
    expect(server.logs()).toMatch(/refused: too many failed attempts ip=127\.0\.0\.1/);

    await Bun.sleep(refused.retryAfter * 1000 + 100);
    expect((await login("mallory", "guess-6")).status).toBe(401);
    const longer = await login("mallory", "guess-7");
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBeGreaterThanOrEqual(2);

    await Bun.sleep(longer.retryAfter * 1000 + 100);
    const ok = await login(server.username, server.password);
    expect(ok.status).toBe(200);
    server.token = ok.body.token;
  });
});

describe("ADMIN_USERNAME / ADMIN_PASSWORD", () => {
  test("a restart with the old ADMIN_PASSWORD keeps the password changed in Settings and says they differ", async () => {
    expect(server.env.ADMIN_PASSWORD).not.toBe(NEW_PASSWORD);
    server.env.TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/8";
    await server.kill9();
    await server.restart();
    expect((await login(server.username, server.env.ADMIN_PASSWORD as string)).status).toBe(401);
    const ok = await login(server.username, NEW_PASSWORD);
    expect(ok.status).toBe(200);
    expect(server.logs()).toContain("ADMIN_USERNAME/ADMIN_PASSWORD differ from the saved admin account");
  });
});

describe("behind a trusted reverse proxy", () => {
  test("the throttle keys on the X-Forwarded-For client and on the username, and the log names the client", async () => {
    const eve = { "x-forwarded-for": "203.0.113.7" };
    const trent = { "x-forwarded-for": "203.0.113.8" };
    for (let i = 0; i < 5; i++) expect((await login("eve", `guess-${i}`, eve)).status).toBe(401);
    expect((await login("eve-too", "guess", eve)).status).toBe(429);
    expect(server.logs()).toMatch(/failed login ip=203\.0\.113\.7/);
    expect((await login("trent", "guess", trent)).status).toBe(401);
    expect((await login("eve", "guess", trent)).status).toBe(429);

    // Two proxies: the client is the right-most hop that is not a trusted proxy.
    const codes = { "x-forwarded-for": "192.0.2.1, 203.0.113.9, 10.1.2.3" };
    for (let i = 0; i < 5; i++) expect(await oneTime(`wrong-code-${i}`, codes)).toBe(401);
    expect(await oneTime("wrong-code-5", codes)).toBe(429);
    expect(server.logs()).toMatch(/failed one-time code ip=203\.0\.113\.9/);
    expect((await login(server.username, NEW_PASSWORD)).status).toBe(200);
  });
});
