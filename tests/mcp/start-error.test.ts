import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { startServer, type TestServer, waitFor } from "../harness";
import { claudeOnboarded, claudeReady, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { addServer, agentClient, EVERYTHING } from "./support";

// A server's last start failure outlives an OpenDray restart, never holds a secret, and goes once it starts.
let server: TestServer;
let client: Client | undefined;
const PASSWORD = "db-secret-4242";

beforeAll(async () => {
  claudeOnboarded();
  server = await startServer();
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
  closeScreens();
});

interface View {
  id: string;
  name: string;
  lastError: string | null;
  lastErrorAt: string | null;
}
const listed = async (name: string) =>
  ((await server.api("/api/mcp/servers")).body.servers as View[]).find((s) => s.name === name) as View;

test("a start failure is kept with the server, scrubbed of its secrets, across a restart, and cleared by the next start that works", async () => {
  const s = await addServer(server, {
    name: "broken",
    transport: "stdio",
    command: process.execPath,
    // Echoes its own env, as a failing server often does.
    args: ["-e", "console.error('cannot open the database as admin:' + process.env.DB_PASSWORD); process.exit(3)"],
    env: { DB_PASSWORD: PASSWORD },
    startupTimeoutMs: 5000,
  });
  expect((await listed("broken")).lastError).toBeNull();

  const tested = (await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" })).body;
  expect(tested.ok).toBe(false);
  expect(tested.error).toContain("cannot open the database as admin:[env DB_PASSWORD]");
  expect(tested.error).not.toContain(PASSWORD);
  const failed = await listed("broken");
  expect(failed.lastError).toBe(tested.error);
  expect(Date.parse(failed.lastErrorAt ?? "")).toBeGreaterThan(Date.now() - 60_000);

  const before = server.pid();
  await server.kill9();
  await server.restart();
  expect(server.pid()).not.toBe(before);
  const after = await listed("broken");
  expect(after.lastError).toBe(tested.error);
  expect(after.lastErrorAt).toBe(failed.lastErrorAt);
  expect(JSON.stringify((await server.api(`/api/mcp/servers/${s.id}`)).body)).not.toContain(PASSWORD);

  // A session's gateway failing to start it notes the newer failure, with the secret scrubbed there too.
  const { id } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  client = await waitFor(() => agentClient(server, id).catch(() => null), "the session's gateway");
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toContain("ask_user");
  const calls = (await server.api(`/api/sessions/${id}/mcp-calls`)).body;
  expect(calls.errors.broken).toContain("[env DB_PASSWORD]");
  expect(calls.errors.broken).not.toContain(PASSWORD);
  await waitFor(
    async () => (await listed("broken")).lastErrorAt !== failed.lastErrorAt,
    "the session's start failure to be kept",
  );
  expect((await listed("broken")).lastError).toContain("[env DB_PASSWORD]");
  expect(server.logs()).not.toContain(PASSWORD);

  // Fixed: the session's next listing starts it, and the kept failure goes.
  await server.api(`/api/mcp/servers/${s.id}`, { method: "PUT", json: { args: [EVERYTHING, "stdio"] } });
  await waitFor(async () => (await client?.listTools())?.tools.some((t) => t.name === "broken__echo"), "broken__echo");
  await waitFor(async () => (await listed("broken")).lastError === null, "the kept failure to clear");
  expect((await listed("broken")).lastErrorAt).toBeNull();

  // Test fails and succeeds the same way.
  await server.api(`/api/mcp/servers/${s.id}`, { method: "PUT", json: { args: ["-e", "process.exit(4)"] } });
  expect((await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" })).body.ok).toBe(false);
  expect((await listed("broken")).lastError).toBeString();
  await server.api(`/api/mcp/servers/${s.id}`, { method: "PUT", json: { args: [EVERYTHING, "stdio"] } });
  expect((await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" })).body.ok).toBe(true);
  expect((await listed("broken")).lastError).toBeNull();
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 120_000);

test("a session's tool-call log still shows its servers' start errors and when its agent listed the tools after a restart", async () => {
  const s = await addServer(server, {
    name: "flaky",
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "console.error('login refused for token ' + process.env.FLAKY_TOKEN); process.exit(5)"],
    env: { FLAKY_TOKEN: PASSWORD },
    startupTimeoutMs: 5000,
  });
  const { id, screen } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  // Claude Code lists the tools as it starts; ours is the last listing
  await claudeReady(screen);
  const agent = await waitFor(() => agentClient(server, id).catch(() => null), "the session's gateway");
  await agent.listTools();
  const log = async () => (await server.api(`/api/sessions/${id}/mcp-calls`)).body;
  const before = await log();
  expect(before.errors.flaky).toContain("login refused for token [env FLAKY_TOKEN]");
  expect(Date.parse(before.connectedAt)).toBeGreaterThan(Date.now() - 60_000);
  screen.close();
  await agent.close();

  await server.kill9();
  await server.restart();
  const after = await log();
  expect(after.errors).toEqual(before.errors);
  expect(after.connectedAt).toBe(before.connectedAt);
  expect(JSON.stringify(after)).not.toContain(PASSWORD);

  // Fixed: the next listing starts it; the next restart does not bring the error back.
  await server.api(`/api/mcp/servers/${s.id}`, { method: "PUT", json: { args: [EVERYTHING, "stdio"] } });
  const again = await waitFor(() => agentClient(server, id).catch(() => null), "the gateway after the restart");
  expect((await again.listTools()).tools.map((t) => t.name)).toContain("flaky__echo");
  await again.close();
  const fixed = await log();
  expect(fixed.errors.flaky).toBeUndefined();
  expect(Date.parse(fixed.connectedAt)).toBeGreaterThan(Date.parse(before.connectedAt));
  await server.kill9();
  await server.restart();
  expect((await log()).errors.flaky).toBeUndefined();
  expect((await log()).connectedAt).toBe(fixed.connectedAt);
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 150_000);

test("after a rename, a session's start error shows under the server's new name only", async () => {
  const s = await addServer(server, {
    name: "before-rename",
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "console.error('no such database'); process.exit(6)"],
    startupTimeoutMs: 5000,
  });
  const { id } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  const agent = await waitFor(() => agentClient(server, id).catch(() => null), "the session's gateway");
  await agent.listTools();
  const errors = async () => (await server.api(`/api/sessions/${id}/mcp-calls`)).body.errors;
  expect((await errors())["before-rename"]).toContain("no such database");

  await server.api(`/api/mcp/servers/${s.id}`, { method: "PUT", json: { name: "after-rename" } });
  await agent.listTools();
  const renamed = await errors();
  expect(renamed["after-rename"]).toContain("no such database");
  expect(renamed["before-rename"]).toBeUndefined();
  await agent.close();
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 120_000);
