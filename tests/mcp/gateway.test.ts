import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { startServer, type TestServer, waitFor } from "../harness";
import { claudeOnboarded, claudeReady, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { addServer, agentClient, EVERYTHING, startEverythingHttp } from "./support";

let server: TestServer;
let sse: Awaited<ReturnType<typeof startEverythingHttp>>;
const dir = mkdtempSync(join(tmpdir(), "mcp-gateway-"));
const starts = join(dir, "starts");
let a: { id: string; client: Client };
let b: { id: string; client: Client };

/** The pids the counted stdio server was started with, one a line. */
const started = () => readFileSync(starts, "utf8").split("\n").filter(Boolean).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const textOf = (r: unknown) => ((r as { content: { text?: string }[] }).content[0]?.text ?? "") as string;

beforeAll(async () => {
  claudeOnboarded();
  writeFileSync(starts, "");
  sse = await startEverythingHttp("sse");
  server = await startServer({
    env: { MCP_IDLE_SHUTDOWN_SECONDS: "3", MCP_ASK_TIMEOUT_SECONDS: "2", MCP_DISABLED_BUILTINS: "session_diff" },
  });
  // The real npm server over stdio, through a shell that notes each start's pid (its env is the server's own).
  await addServer(server, {
    name: "everything",
    transport: "stdio",
    command: "/bin/sh",
    args: ["-c", 'echo $$ >> "$STARTS"; exec "$0" "$1" stdio', process.execPath, EVERYTHING],
    env: { STARTS: starts },
    enabledTools: ["echo", "get-sum", "get-env"],
    disabledTools: ["get-sum"],
  });
  await addServer(server, { name: "legacy", transport: "sse", url: sse.url, enabledTools: ["echo"] });
  await addServer(server, {
    name: "broken",
    transport: "stdio",
    command: process.execPath,
    args: ["-e", "console.error('cannot open the database: /nope'); process.exit(3)"],
    startupTimeoutMs: 5000,
  });
  expect(started()).toEqual([]);
  for (const slot of ["a", "b"] as const) {
    const { id, screen } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
    // The agent starts although one of its servers cannot.
    await claudeReady(screen);
    const client = await agentClient(server, id);
    if (slot === "a") a = { id, client };
    else b = { id, client };
  }
}, 120_000);

afterAll(async () => {
  await a?.client.close();
  await b?.client.close();
  await server?.stop();
  sse?.stop();
  closeScreens();
  rmSync(dir, { recursive: true, force: true });
});

test("a session lists the allowed tools of every server that starts, namespaced, with the built-ins that are on", async () => {
  const names = (await a.client.listTools()).tools.map((t) => t.name).sort();
  expect(names).toEqual([
    "ask_user",
    "everything__echo",
    "everything__get-env",
    "legacy__echo",
    "notify_user",
    "preview_screenshot",
  ]);
  const calls = (await server.api(`/api/sessions/${a.id}/mcp-calls`)).body;
  expect(calls.errors.broken).toContain("cannot open the database");
  expect(calls.connectedAt).toBeString();
});

test("one stdio server process serves both sessions, stops when idle and starts again on the next call", async () => {
  // The agents may have listed the tools already (which starts it) and it may have gone idle since.
  const before = started().length;
  const r1 = await a.client.callTool({ name: "everything__echo", arguments: { message: "from a" } });
  const r2 = await b.client.callTool({ name: "everything__echo", arguments: { message: "from b" } });
  expect(textOf(r1)).toBe("Echo: from a");
  expect(textOf(r2)).toBe("Echo: from b");
  const pids = started();
  expect(pids.length - before).toBeLessThanOrEqual(1);
  const serving = pids.at(-1) as number;
  expect(pids.filter(alive)).toEqual([serving]);
  await waitFor(async () => !alive(serving), "the idle server to stop", 15_000);
  const r3 = await b.client.callTool({ name: "everything__echo", arguments: { message: "again" } });
  expect(textOf(r3)).toBe("Echo: again");
  expect(started()).toHaveLength(pids.length + 1);
});

test("the server's secrets stay in its own environment: the agent sees the server's env, never OpenDray's", async () => {
  const r = await a.client.callTool({ name: "everything__get-env", arguments: {} });
  const env = JSON.parse(textOf(r));
  expect(env.STARTS).toBe(starts);
  expect(env.OPENDRAY_HOME).toBeUndefined();
});

test("an SSE-only server is bridged: its tool answers over the gateway's streamable HTTP", async () => {
  const r = await a.client.callTool({ name: "legacy__echo", arguments: { message: "over sse" } });
  expect(textOf(r)).toBe("Echo: over sse");
});

test("a denied or unlisted tool is refused, and every call is in the session's audit", async () => {
  const denied = await a.client.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } });
  expect(denied.isError).toBe(true);
  expect(textOf(denied)).toContain("not allowed");
  const unlisted = await a.client.callTool({ name: "everything__get-tiny-image", arguments: {} });
  expect(unlisted.isError).toBe(true);
  const off = await a.client.callTool({ name: "session_diff", arguments: {} });
  expect(off.isError).toBe(true);
  const calls = (await server.api(`/api/sessions/${a.id}/mcp-calls`)).body.calls as {
    tool: string;
    isError: boolean;
    arguments: unknown;
  }[];
  expect(calls.map((c) => [c.tool, c.isError])).toEqual([
    ["session_diff", true],
    ["everything__get-tiny-image", true],
    ["everything__get-sum", true],
    ["legacy__echo", false],
    ["everything__get-env", false],
    ["everything__echo", false],
  ]);
  expect(calls.find((c) => c.tool === "everything__get-sum")?.arguments).toEqual({ a: 1, b: 2 });
  // Each session sees its own calls only.
  const theirs = (await server.api(`/api/sessions/${b.id}/mcp-calls`)).body.calls as { tool: string }[];
  expect(theirs.map((c) => c.tool)).toEqual(["everything__echo", "everything__echo"]);
});

test("ask_user with nobody answering returns 'no answer' after the timeout and withdraws the question", async () => {
  const started = performance.now();
  const r = await a.client.callTool({ name: "ask_user", arguments: { question: "Ship it?", options: ["yes", "no"] } });
  expect(textOf(r)).toBe("no answer");
  expect(performance.now() - started).toBeGreaterThan(1900);
  expect((await server.api(`/api/sessions/${a.id}/prompt`)).body?.kind).not.toBe("ask");
});

test("a server's edit or removal applies to running sessions at once", async () => {
  const list = (await server.api("/api/mcp/servers")).body.servers as { id: string; name: string }[];
  const legacy = list.find((s) => s.name === "legacy")?.id;
  await server.api(`/api/mcp/servers/${legacy}/toggle`, { method: "PATCH", json: { enabled: false } });
  const names = (await b.client.listTools()).tools.map((t) => t.name);
  expect(names).not.toContain("legacy__echo");
  expect(names).toContain("everything__echo");
});

test("a session asked for strict MCP starts Claude Code with --strict-mcp-config, others without; the stored set is listed", async () => {
  const argvOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const { id, pid } = await launchRouted(server, { sessionType: "claude", cwd: newProject(), mcpStrict: true });
  expect(argvOf(pid)).toContain("--strict-mcp-config");
  expect(argvOf(pid)).toContain("--mcp-config");
  const plain = (await server.api(`/api/sessions/${a.id}`)).body.pid as number;
  expect(argvOf(plain)).not.toContain("--strict-mcp-config");
  const all = ((await server.api("/api/mcp/servers")).body.servers as { id: string; enabled: boolean }[])
    .filter((s) => s.enabled)
    .map((s) => s.id)
    .sort();
  expect([...(await server.api(`/api/sessions/${id}/mcp-calls`)).body.servers].sort()).toEqual(all);
  const bad = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: newProject(), mcpStrict: "yes", mcpServers: ["nope"] },
  });
  expect(bad.status).toBe(422);
  expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["mcpServers.0", "mcpStrict"]);
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
});
