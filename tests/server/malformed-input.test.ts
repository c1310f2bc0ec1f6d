import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const raw = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const fields = (body: any): string[] => (body?.error?.issues ?? []).map((i: { path: string }) => i.path);
const names = async () =>
  ((await server.api("/api/sessions")).body as { name: string }[]).map((s) => s.name).filter(Boolean);

/**
 * POSTs a body streamed in 64 KiB chunks (fetch sends a stream as Transfer-Encoding: chunked, without
 * Content-Length); `produced` says how much the server pulled before it answered.
 */
async function postStream(path: string, parts: { head: string; fill: number; tail: string }, token = "") {
  const encoder = new TextEncoder();
  let produced = 0;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode(parts.head));
    },
    pull(c) {
      if (produced >= parts.fill) {
        c.enqueue(encoder.encode(parts.tail));
        c.close();
        return;
      }
      const size = Math.min(64 * 1024, parts.fill - produced);
      c.enqueue(new Uint8Array(size).fill(0x78));
      produced += size;
    },
  });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${server.url}${path}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { status: r.status, body: await r.json(), produced };
}

describe("malformed input gets a 4xx naming the field, never a 500", () => {
  test("a NUL character in any string field is a 422 naming that field", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/sessions", { cwd: "/tmp", name: "a\0b", autoStart: false }, "name"],
      ["POST", "/api/sessions", { cwd: "/tmp\0/etc", autoStart: false }, "cwd"],
      ["POST", "/api/sessions", { cwd: "/tmp", envOverrides: { FOO: "x\0y" }, autoStart: false }, "envOverrides.FOO"],
      ["POST", "/api/sessions", { cwd: "/tmp", model: "m\0", autoStart: false }, "model"],
      ["POST", "/api/sessions", { cwd: "/tmp", extraArgs: ["--a\0"], autoStart: false }, "extraArgs.0"],
      ["POST", "/api/auth/login", { username: "admin\0", password: "x" }, "username"],
      ["POST", "/api/auth/change-credentials", { currentPassword: "x", newPassword: "long-enough\0" }, "newPassword"],
      ["PUT", "/api/providers/claude/config", { values: { baseUrl: "https://x\0" } }, "values.baseUrl"],
      ["PUT", "/api/telegram/settings", { botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ\0" }, "botToken"],
      ["POST", "/api/telegram/test", { text: "hi\0" }, "text"],
      ["POST", "/api/push/unsubscribe", { endpoint: "https://push.example/\0" }, "endpoint"],
    ];
    for (const [method, path, json, field] of cases) {
      const r = await server.api(path, { method, json });
      expect({ path, status: r.status, fields: fields(r.body) }).toEqual({ path, status: 422, fields: [field] });
      expect(r.body.error.issues[0].message).toContain("NUL");
    }
    expect((await names()).some((n) => n.includes("\0"))).toBe(false);
  });

  test("a field of the wrong type is a 422 naming the field and the type it must be; a missing one says required", async () => {
    const created = await server.api("/api/mcp/servers", {
      method: "POST",
      json: { name: "typed", transport: "http", url: "http://127.0.0.1:9/mcp" },
    });
    expect(created.status).toBe(201);
    const cases: [string, string, unknown, string, string, string][] = [
      ["POST", "/api/mcp/servers", { name: 42, transport: "http" }, server.token, "name", "must be a string"],
      ["PUT", `/api/mcp/servers/${created.body.id}`, { name: 42 }, server.token, "name", "must be a string"],
      ["PUT", `/api/mcp/servers/${created.body.id}`, { name: null }, server.token, "name", "must be a string"],
      ["POST", "/api/sessions", { cwd: "/tmp", cols: "80", autoStart: false }, server.token, "cols", "number"],
      ["POST", "/api/mcp/servers", { transport: "http" }, server.token, "name", "name is required"],
      ["POST", "/api/auth/login", { username: 42, password: "x" }, "", "username", "must be a string"],
      ["POST", "/api/auth/login", { password: "x" }, "", "username", "username is required"],
    ];
    for (const [method, path, json, token, field, says] of cases) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await raw(path, { method, headers, body: JSON.stringify(json) });
      const r = { status: res.status, body: await res.json() };
      expect({ json, status: r.status, fields: fields(r.body) }).toEqual({ json, status: 422, fields: [field] });
      expect(r.body.error.issues[0].message).toContain(says);
      expect(r.body.error.message).toContain(field);
      expect(r.body.error.message).not.toContain(says.includes("required") ? "must be" : "required");
    }
    const renamed = await server.api(`/api/mcp/servers/${created.body.id}`, { method: "PUT", json: { name: 42 } });
    expect(renamed.status).toBe(422);
    expect((await server.api(`/api/mcp/servers/${created.body.id}`)).body.name).toBe("typed");
    await server.api(`/api/mcp/servers/${created.body.id}`, { method: "DELETE" });
  });

  test("an array, number, string or null as a body that must be an object is a 422 on the body, not on its keys", async () => {
    for (const [path, token] of [
      ["/api/sessions", server.token],
      ["/api/mcp/servers", server.token],
      ["/api/auth/login", ""],
    ] as const) {
      for (const body of ["[]", '[{"cwd":"/tmp"}]', "42", '"text"', "null"]) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Bearer ${token}`;
        const r = await raw(path, { method: "POST", headers, body });
        const answer = await r.json();
        expect({ path, body, status: r.status, fields: fields(answer) }).toEqual({
          path,
          body,
          status: 422,
          fields: ["body"],
        });
        expect(answer.error.message).toContain("body: must be a JSON object");
        expect(answer.error.message).not.toContain("Invalid key");
      }
    }
    const denied = await raw("/api/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
    });
    expect(denied.status).toBe(401);
  });

  test("JSON nested thousands deep is a 400 at once (a 401 first without a token), and the server lives on", async () => {
    const deepArray = "[".repeat(50_000) + "]".repeat(50_000);
    const deepObject = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    const started = Date.now();
    for (const [path, token, status] of [
      ["/api/sessions", server.token, 400],
      ["/api/auth/login", "", 400],
      ["/api/sessions", "", 401],
    ] as const) {
      for (const body of [deepArray, deepObject]) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Bearer ${token}`;
        const r = await raw(path, { method: "POST", headers, body });
        expect({ path, status: r.status }).toEqual({ path, status });
        if (status === 400) expect((await r.json()).error.message).toContain("nested");
      }
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await raw("/api/health")).status).toBe(200);
  });

  test("malformed percent-encoding in any path is a 400 with the JSON error, with or without a token", async () => {
    for (const path of ["/%ZZ", "/assets/%", "/api/sessions/%E0%A4%A", "/api/sessions/%E0%A4%A/buffer", "/api/%"]) {
      for (const headers of [{}, { authorization: `Bearer ${server.token}` }] as Record<string, string>[]) {
        const r = await raw(path, { headers });
        expect({ path, status: r.status }).toEqual({ path, status: 400 });
        expect((await r.json()).error.code).toBe("bad_request");
      }
    }
    expect((await raw("/api/sessions/%E0%A4%A", { method: "DELETE" })).status).toBe(400);
  });

  test("a relative cwd is a 422 on cwd (nothing is resolved against the server's directory)", async () => {
    for (const cwd of ["tests", "./tests", "../", "~root"]) {
      for (const autoStart of [false, true]) {
        const r = await server.api("/api/sessions", { method: "POST", json: { cwd, name: `rel ${cwd}`, autoStart } });
        expect({ cwd, status: r.status, fields: fields(r.body) }).toEqual({ cwd, status: 422, fields: ["cwd"] });
      }
    }
    expect((await names()).filter((n) => n.startsWith("rel "))).toEqual([]);
    const home = await server.api("/api/sessions", { method: "POST", json: { cwd: "~", autoStart: false } });
    expect(home.status).toBe(201);
  });

  test("a chunked body over 1 MB is a 413 with the JSON error, answered while it streams", async () => {
    const huge = { head: '{"cwd":"/tmp","name":"', fill: 64 * 1024 * 1024, tail: '"}' };
    for (const [path, token] of [
      ["/api/sessions", server.token],
      ["/api/auth/login", ""],
    ] as const) {
      const r = await postStream(path, huge, token);
      expect({ path, status: r.status, code: r.body.error?.code }).toEqual({ path, status: 413, code: "too_large" });
      expect(r.produced).toBeLessThan(huge.fill / 4);
    }
    const small = await postStream(
      "/api/sessions",
      { head: '{"cwd":"/tmp","autoStart":false,"name":"chunked ', fill: 100, tail: '"}' },
      server.token,
    );
    expect(small.status).toBe(201);
    expect(await names()).toContain(`chunked ${"x".repeat(100)}`);
  });

  test("numeric ids beyond 64 bits (chat ids, cursors, sizes) are a 422 naming the field", async () => {
    const cases: [string, string, unknown, string][] = [
      ["PUT", "/api/telegram/settings", { allowedChatIds: ["9223372036854775808"] }, "allowedChatIds.0"],
      ["PUT", "/api/telegram/settings", { allowedChatIds: ["-9223372036854775809"] }, "allowedChatIds.0"],
      ["PUT", "/api/telegram/settings", { allowedChatIds: [2 ** 64] }, "allowedChatIds.0"],
      ["PUT", "/api/telegram/settings", { allowedChatIds: ["123", "99999999999999999999"] }, "allowedChatIds.1"],
      ["POST", "/api/telegram/unlink", { chatId: "18446744073709551616" }, "chatId"],
      ["POST", "/api/sessions", { cwd: "/tmp", cols: 2 ** 64, autoStart: false }, "cols"],
      ["POST", "/api/sessions", { cwd: "/tmp", rows: 1e300, autoStart: false }, "rows"],
    ];
    for (const [method, path, json, field] of cases) {
      const r = await server.api(path, { method, json });
      expect({ json, status: r.status, fields: fields(r.body) }).toEqual({ json, status: 422, fields: [field] });
    }
    const s = await server.api("/api/sessions", { method: "POST", json: { cwd: "/tmp", autoStart: false } });
    const since = await server.api(`/api/sessions/${s.body.id}/buffer?since=18446744073709551616`);
    expect({ status: since.status, fields: fields(since.body) }).toEqual({ status: 422, fields: ["since"] });
    const ok = await server.api("/api/telegram/settings", {
      method: "PUT",
      json: { allowedChatIds: ["9223372036854775807", -1001234567890] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.allowedChats).toEqual(["9223372036854775807", "-1001234567890"]);
    await server.api("/api/telegram/settings", { method: "PUT", json: { allowedChatIds: [] } });
  });

  test("a push subscription whose endpoint is not https is a 422 on endpoint", async () => {
    const keys = {
      p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
      auth: "tBHItJI5svbpez7KI4CCXg",
    };
    for (const endpoint of [
      "http://push.example/abc",
      "file:///etc/passwd",
      "ws://push.example/x",
      "javascript:alert(1)",
    ]) {
      const r = await server.api("/api/push/subscribe", { method: "POST", json: { endpoint, keys } });
      expect({ endpoint, status: r.status, fields: fields(r.body) }).toEqual({
        endpoint,
        status: 422,
        fields: ["endpoint"],
      });
    }
    expect((await server.api("/api/push/status")).body.subscriptions).toBe(0);
  });

  test("autoStart:false refuses a launch that could not start with the same 422 a start gives, and saves nothing", async () => {
    expect(
      (await server.api("/api/providers/gemini/toggle", { method: "PATCH", json: { enabled: false } })).status,
    ).toBe(200);
    const config = (name: string, values: Record<string, string>) =>
      server.api(`/api/providers/${name}/config`, { method: "PUT", json: { values } });
    expect((await config("qwen-code", { command: "no-such-cli-anywhere" })).status).toBe(200);
    expect((await config("opencode", { command: "bash", extraArgs: "--flag 'unterminated" })).status).toBe(200);
    for (const sessionType of ["nosuchagent", "gemini", "qwen-code", "opencode"]) {
      const answers = [];
      for (const autoStart of [true, false]) {
        const r = await server.api("/api/sessions", {
          method: "POST",
          json: { cwd: "/tmp", sessionType, name: `launch ${sessionType}`, autoStart },
        });
        answers.push({ status: r.status, error: r.body.error });
      }
      expect(answers[0]?.status).toBe(422);
      expect(answers[1]).toEqual(answers[0]);
    }
    expect((await names()).filter((n) => n.startsWith("launch "))).toEqual([]);
  });
});
