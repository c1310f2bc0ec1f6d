import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";
import { addServer, everythingStdio, startEverythingHttp } from "./support";

let server: TestServer;
let http: Awaited<ReturnType<typeof startEverythingHttp>>;

beforeAll(async () => {
  http = await startEverythingHttp();
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
  http?.stop();
});

test("a stdio server from npm is added, tested (protocol version and its tools), toggled, edited and deleted", async () => {
  const created = await server.api("/api/mcp/servers", {
    method: "POST",
    json: {
      ...everythingStdio(),
      description: "the reference server",
      disabledTools: ["trigger-long-running-operation"],
    },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: "everything", transport: "stdio", appliesTo: ["*"], enabled: true });
  const id = created.body.id as string;

  const tested = await server.api(`/api/mcp/servers/${id}/test`, { method: "POST" });
  expect(tested.status).toBe(200);
  expect(tested.body.ok).toBe(true);
  expect(tested.body.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(tested.body.ms).toBeGreaterThan(0);
  const echo = tested.body.tools.find((t: { name: string }) => t.name === "echo");
  expect(echo.description).toMatch(/echo/i);

  expect((await server.api("/api/mcp/servers")).body.servers.map((s: { name: string }) => s.name)).toEqual([
    "everything",
  ]);
  const off = await server.api(`/api/mcp/servers/${id}/toggle`, { method: "PATCH", json: { enabled: false } });
  expect(off.body.enabled).toBe(false);
  const edited = await server.api(`/api/mcp/servers/${id}`, {
    method: "PUT",
    json: { appliesTo: ["claude", "codex"], enabledTools: ["echo"] },
  });
  expect(edited.body).toMatchObject({
    appliesTo: ["claude", "codex"],
    enabledTools: ["echo"],
    command: process.execPath,
  });
  expect((await server.api(`/api/mcp/servers/${id}`, { method: "DELETE" })).status).toBe(204);
  expect((await server.api(`/api/mcp/servers/${id}`)).status).toBe(404);
});

test("a streamable-HTTP server is tested; secret headers and env values are sealed and never returned", async () => {
  const s = await addServer(server, {
    name: "everything-http",
    transport: "http",
    url: http.url,
    headers: { "X-Api-Key": "hdr-secret-9876" },
  });
  const tested = await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" });
  expect(tested.body).toMatchObject({ ok: true });
  expect(tested.body.tools.map((t: { name: string }) => t.name)).toContain("echo");

  const withEnv = await addServer(server, { ...everythingStdio("env-holder"), env: { API_TOKEN: "env-secret-5555" } });
  for (const r of [await server.api("/api/mcp/servers"), await server.api(`/api/mcp/servers/${withEnv.id}`)]) {
    const text = JSON.stringify(r.body);
    expect(text).not.toContain("hdr-secret-9876");
    expect(text).not.toContain("env-secret-5555");
  }
  expect((await server.api(`/api/mcp/servers/${withEnv.id}`)).body.envKeys).toEqual(["API_TOKEN"]);
  expect((await server.api(`/api/mcp/servers/${s.id}`)).body.headerNames).toEqual(["X-Api-Key"]);
});

test("a server that fails to start shows its error in Test", async () => {
  const s = await addServer(server, {
    name: "broken",
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "console.error('cannot open the database: /nope'); process.exit(3)"],
    startupTimeoutMs: 5000,
  });
  const tested = await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" });
  expect(tested.status).toBe(200);
  expect(tested.body.ok).toBe(false);
  expect(tested.body.tools).toEqual([]);
  expect(tested.body.error).toContain("cannot open the database");
});

test("duplicate or reserved names and a missing command or url are 422s naming the field", async () => {
  await addServer(server, everythingStdio("dup"));
  const cases: [Record<string, unknown>, string][] = [
    [everythingStdio("dup"), "name"],
    [everythingStdio("opendray"), "name"],
    [everythingStdio("Bad Name"), "name"],
    [{ name: "nocmd", transport: "stdio" }, "command"],
    [{ name: "nourl", transport: "sse" }, "url"],
    [{ name: "badurl", transport: "http", url: "ftp://x" }, "url"],
    [{ name: "badtransport", transport: "ws", url: "http://x" }, "transport"],
  ];
  for (const [json, path] of cases) {
    const r = await server.api("/api/mcp/servers", { method: "POST", json });
    expect({ json, status: r.status }).toEqual({ json, status: 422 });
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  }
  const bad = await server.api("/api/mcp/servers/not-a-uuid/test", { method: "POST" });
  expect(bad.status).toBe(422);
});

test("the agents list names all five with the transports each accepts", async () => {
  const r = await server.api("/api/mcp/agents");
  expect(r.body.agents.map((a: { id: string }) => a.id)).toEqual([
    "claude",
    "codex",
    "gemini",
    "qwen-code",
    "opencode",
  ]);
  expect(r.body.agents.find((a: { id: string }) => a.id === "codex").transports).not.toContain("sse");
});
