import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_MUTATIONS_PER_MIN: "3" } });
});
afterAll(() => server?.stop());

const raw = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

describe("login and tokens", () => {
  test("health is public; everything else needs a valid token", async () => {
    const health = await (await raw("/api/health")).json();
    expect(health.status).toBe("ok");
    expect(typeof health.version).toBe("string");
    expect((await raw("/api/sessions")).status).toBe(401);
    expect((await raw("/api/sessions", { headers: { authorization: "Bearer nope.nope.nope" } })).status).toBe(401);
    expect((await raw(`/api/sessions?token=${server.token}`)).status).toBe(200);
    const [h, p] = server.token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "admin", iat: 0, exp: 9999999999 })).toString("base64url")}.${server.token.split(".")[2]}`;
    expect((await raw("/api/sessions", { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect(p).toBeDefined();
  });

  test("wrong password is 401; change-credentials needs the current password", async () => {
    const bad = await server.api("/api/auth/login", {
      method: "POST",
      json: { username: "admin", password: "wrong-password" },
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe("invalid credentials");
    const wrongCurrent = await server.api("/api/auth/change-credentials", {
      method: "POST",
      json: { currentPassword: "x", newPassword: "another-password" },
    });
    expect(wrongCurrent.status).toBe(401);
    const short = await server.api("/api/auth/change-credentials", {
      method: "POST",
      json: { currentPassword: server.password, newPassword: "short" },
    });
    expect(short.status).toBe(422);
    expect(short.body.error.issues[0].path).toBe("newPassword");
    const ok = await server.api("/api/auth/change-credentials", {
      method: "POST",
      json: { currentPassword: server.password, newPassword: "another-password" },
    });
    expect(ok.status).toBe(200);
    // The change revoked every earlier token; the answer carries the caller's fresh one.
    expect((await raw("/api/sessions", { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(401);
    server.token = ok.body.token;
    const relog = await server.api("/api/auth/login", {
      method: "POST",
      json: { username: "admin", password: "another-password" },
    });
    expect(relog.status).toBe(200);
  });
});

describe("bad input gets a 4xx naming the field, never a 500", () => {
  const cases: [string, string, unknown, number, string][] = [
    ["POST", "/api/sessions", { cwd: 42 }, 422, "cwd"],
    ["POST", "/api/sessions", {}, 422, "cwd"],
    ["POST", "/api/sessions", { cwd: "/tmp", cols: 5 }, 422, "cols"],
    ["POST", "/api/sessions", { cwd: "/tmp", sessionType: "Bad Type!" }, 422, "sessionType"],
    ["POST", "/api/sessions", { cwd: "/tmp", sessionType: "nosuchagent" }, 422, "sessionType"],
    ["POST", "/api/sessions", { cwd: "/definitely/not/here" }, 422, "cwd"],
    ["POST", "/api/sessions", { cwd: "/tmp", envOverrides: { "BAD NAME": "x" } }, 422, "envOverrides"],
    ["POST", "/api/sessions", { cwd: "/tmp", surprise: true }, 422, "surprise"],
    ["POST", "/api/auth/login", { username: 1 }, 422, "username"],
    ["POST", "/api/sessions/not-a-uuid/input", { input: "x" }, 422, "id"],
    ["POST", "/api/sessions/00000000-0000-4000-8000-000000000000/input", { input: "x" }, 404, ""],
    ["POST", "/api/sessions/00000000-0000-4000-8000-000000000000/resize", { cols: "wide", rows: 10 }, 422, "cols"],
    ["GET", "/api/sessions/00000000-0000-4000-8000-000000000000/buffer?since=-1", undefined, 422, "since"],
    ["GET", "/api/no/such/route", undefined, 404, ""],
  ];
  for (const [method, path, body, status, field] of cases) {
    test(`${method} ${path} ${JSON.stringify(body) ?? ""} → ${status} ${field}`, async () => {
      const r = await server.api(path, { method, ...(body !== undefined ? { json: body } : {}) });
      expect(r.status).toBe(status);
      expect(typeof r.body.error.message).toBe("string");
      if (field) expect(r.body.error.issues.map((i: { path: string }) => i.path).join(",")).toContain(field);
    });
  }

  test("malformed JSON is 400 and an oversized body is 413", async () => {
    const r = await raw("/api/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: "{nope",
    });
    expect(r.status).toBe(400);
    const big = await raw("/api/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ cwd: "x".repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
  });

  test("a WebSocket from another origin is refused; bad WS messages get an error frame and the session lives on", async () => {
    const s = await server.api("/api/sessions", { method: "POST", json: { cwd: "/tmp" } });
    const id = s.body.id;
    const cross = new WebSocket(`${server.url.replace("http", "ws")}/api/sessions/${id}/ws?token=${server.token}`, {
      headers: { origin: "https://evil.example" },
    } as any);
    const crossResult = await new Promise((r) => {
      cross.onopen = () => r("open");
      cross.onerror = () => r("refused");
      cross.onclose = () => r("refused");
    });
    expect(crossResult).toBe("refused");
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/api/sessions/${id}/ws?token=${server.token}`);
    const msgs: any[] = [];
    ws.onmessage = (e) => typeof e.data === "string" && msgs.push(JSON.parse(e.data));
    await new Promise((r) => (ws.onopen = r));
    ws.send(JSON.stringify({ type: "resize", cols: "huge" }));
    const deadline = Date.now() + 5000;
    while (!msgs.some((m) => m.type === "error") && Date.now() < deadline) await Bun.sleep(20);
    expect(msgs.find((m) => m.type === "error")?.path).toBe("cols");
    expect((await server.api(`/api/sessions/${id}`)).body.status).toBe("running");
    ws.close();
  });

  test("mutations over the per-IP rate limit get 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await server.api("/api/sessions", { method: "POST", json: { cwd: "/tmp", autoStart: false } })).status,
      );
    expect(statuses).toContain(429);
  });
});
