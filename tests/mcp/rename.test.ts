import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { startServer, type TestServer } from "../harness";
import { claudeOnboarded, claudeReady, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { addServer, agentClient, everythingStdio } from "./support";

// Renaming a registry server: the edit keeps its secrets, status and agents; a running session's agent
// keeps calling the tools it listed under the old name and sees the new one on its next tools/list.
let server: TestServer;
const clients: Client[] = [];
const SECRET = "rename-secret-5150";

const put = (id: string, json: unknown) => server.api(`/api/mcp/servers/${id}`, { method: "PUT", json });
const textOf = (r: unknown) => (r as { content: { text?: string }[] }).content[0]?.text ?? "";
const listed = async (c: Client) => (await c.listTools()).tools.map((t) => t.name).filter((n) => n.includes("__"));

async function agent() {
  const { id, screen } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  await claudeReady(screen);
  const client = await agentClient(server, id);
  clients.push(client);
  return { id, client };
}

beforeAll(async () => {
  claudeOnboarded();
  server = await startServer();
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.stop();
  closeScreens();
});

test("a renamed server keeps its secrets, status and agents; a running agent calls it by either name, a new session sees only the new one", async () => {
  const s = await addServer(server, {
    ...everythingStdio("everything"),
    env: { RENAME_SECRET: SECRET },
    appliesTo: ["claude", "codex"],
    enabledTools: ["echo", "get-env"],
  });
  const running = await agent();
  expect(await listed(running.client)).toEqual(["everything__echo", "everything__get-env"]);

  const r = await put(s.id, { name: "kitchen" });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    id: s.id,
    name: "kitchen",
    envKeys: ["RENAME_SECRET"],
    appliesTo: ["claude", "codex"],
    enabledTools: ["echo", "get-env"],
    enabled: true,
    formerNames: ["everything"],
  });
  expect(JSON.stringify(r.body)).not.toContain(SECRET);

  // The running agent listed everything__…: those calls still reach the server, with its sealed env.
  const old = await running.client.callTool({ name: "everything__get-env", arguments: {} });
  expect(old.isError).toBeFalsy();
  expect(JSON.parse(textOf(old)).RENAME_SECRET).toBe(SECRET);
  // Its next tools/list names the new prefix, which answers too.
  expect(await listed(running.client)).toEqual(["kitchen__echo", "kitchen__get-env"]);
  const echoed = await running.client.callTool({ name: "kitchen__echo", arguments: { message: "renamed" } });
  expect(textOf(echoed)).toContain("renamed");
  const calls = (await server.api(`/api/sessions/${running.id}/mcp-calls`)).body.calls.map(
    (c: { tool: string; isError: boolean }) => [c.tool, c.isError],
  );
  expect(calls).toEqual([
    ["kitchen__echo", false],
    ["everything__get-env", false],
  ]);

  // A session started after the rename sees only kitchen__…; the old name is free for another server.
  const fresh = await agent();
  expect(await listed(fresh.client)).toEqual(["kitchen__echo", "kitchen__get-env"]);
  const other = await addServer(server, { ...everythingStdio("everything"), enabledTools: ["echo"] });
  expect(other.name).toBe("everything");
  // In the session started before both, everything__ still means the server it listed under that name.
  const still = await running.client.callTool({ name: "everything__get-env", arguments: {} });
  expect(JSON.parse(textOf(still)).RENAME_SECRET).toBe(SECRET);

  // Renaming back keeps one entry per name, the current one not among them.
  await server.api(`/api/mcp/servers/${other.id}`, { method: "DELETE" });
  expect((await put(s.id, { name: "everything" })).body.formerNames).toEqual(["kitchen"]);
}, 180_000);

test("a disabled server renamed stays disabled, and keeps its last start error", async () => {
  const s = await addServer(server, {
    name: "broken",
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "console.error('cannot open /nope'); process.exit(3)"],
    startupTimeoutMs: 5000,
    enabled: false,
  });
  expect((await server.api(`/api/mcp/servers/${s.id}/test`, { method: "POST" })).body.ok).toBe(false);
  const r = await put(s.id, { name: "still-broken", description: "renamed while off" });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ name: "still-broken", enabled: false, description: "renamed while off" });
  expect(r.body.lastError).toContain("cannot open /nope");
  const names = (await server.api("/api/mcp/servers")).body.servers.map((v: { name: string }) => v.name);
  expect(names).toContain("still-broken");
  expect(names).not.toContain("broken");
});

test("a rename to another server's name is a 409 naming name; a name the rule refuses is a 422 naming name", async () => {
  const a = await addServer(server, everythingStdio("alpha"));
  await addServer(server, everythingStdio("beta"));
  const taken = await put(a.id, { name: "beta" });
  expect(taken.status).toBe(409);
  expect(taken.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["name"]);
  for (const name of ["Bad Name", "opendray", "a__b", "", "x".repeat(49), 7]) {
    const r = await put(a.id, { name });
    expect({ name, status: r.status }).toEqual({ name, status: 422 });
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain("name");
  }
  // Nothing changed: the server is still alpha, and "renaming" it to alpha is a plain edit.
  expect((await server.api(`/api/mcp/servers/${a.id}`)).body.name).toBe("alpha");
  const same = await put(a.id, { name: "alpha", description: "same name" });
  expect(same.status).toBe(200);
  expect(same.body).toMatchObject({ name: "alpha", description: "same name", formerNames: [] });
});
