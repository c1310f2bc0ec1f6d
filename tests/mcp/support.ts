import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort, ROOT, type TestServer, waitFor } from "../harness";
import { environOf } from "../llm/support";

/** The real `@modelcontextprotocol/server-everything`, installed as a devDependency. */
export const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

export const everythingStdio = (name = "everything") => ({
  name,
  transport: "stdio",
  command: process.execPath,
  args: [EVERYTHING, "stdio"],
});

/** The same server over streamable HTTP (or legacy SSE), on a free port. */
export async function startEverythingHttp(mode: "streamableHttp" | "sse" = "streamableHttp") {
  const port = await freePort();
  const proc = Bun.spawn([process.execPath, EVERYTHING, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = `http://127.0.0.1:${port}/${mode === "sse" ? "sse" : "mcp"}`;
  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/`, { method: "GET" }).catch(() => null)) !== null,
    "everything over HTTP",
  );
  return { url, stop: () => proc.kill() };
}

/**
 * Speaks MCP to a session's gateway as its agent does: the URL and headers rendered for Claude Code,
 * with `${VAR}` read from the agent's environment as Claude Code expands it.
 */
export async function agentClient(server: TestServer, sessionId: string) {
  const file = JSON.parse(readFileSync(join(server.home, "mcp-sessions", sessionId, "mcp.json"), "utf8"));
  const opendray = file.mcpServers.opendray as { url: string; headers: Record<string, string> };
  const { pid } = (await server.api(`/api/sessions/${sessionId}`)).body as { pid: number };
  const env = environOf(pid);
  const headers = Object.fromEntries(
    Object.entries(opendray.headers).map(([k, v]) => [
      k,
      v.replace(/\$\{(\w+)\}/g, (_m, name: string) => env[name] ?? ""),
    ]),
  );
  const client = new Client({ name: "agent", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(opendray.url), { requestInit: { headers } }));
  return client;
}

/** OpenDray from source, as a server started by the harness names itself to Qwen Code. */
export const OPENDRAY_FROM_SOURCE = [process.execPath, join(ROOT, "src", "main.ts")];

/**
 * Speaks MCP to a session's gateway as Qwen Code does: over stdio to `opendray mcp-stdio <url>`,
 * which is given the token in its environment only.
 */
export async function bridgeClient(
  server: TestServer,
  sessionId: string,
  opts: { self?: string[]; token?: string } = {},
) {
  const [command = "", ...args] = opts.self ?? OPENDRAY_FROM_SOURCE;
  const { pid } = (await server.api(`/api/sessions/${sessionId}`)).body as { pid: number };
  const token = opts.token ?? environOf(pid).OPENDRAY_MCP_TOKEN ?? "";
  const transport = new StdioClientTransport({
    command,
    args: [...args, "mcp-stdio", `${server.url}/mcp/s/${sessionId}`],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", OPENDRAY_MCP_TOKEN: token },
    stderr: "pipe",
  });
  const client = new Client({ name: "qwen-like", version: "1" });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

export async function addServer(server: TestServer, json: Record<string, unknown>) {
  const r = await server.api("/api/mcp/servers", { method: "POST", json });
  if (r.status !== 201) throw new Error(`POST /api/mcp/servers ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string; name: string };
}
