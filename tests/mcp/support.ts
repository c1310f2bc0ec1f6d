import { join } from "node:path";
import { freePort, ROOT, type TestServer, waitFor } from "../harness";

/** The real `@modelcontextprotocol/server-everything`, installed as a devDependency. */
export const EVERYTHING = join(ROOT, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

export const everythingStdio = (name = "everything") => ({
  name,
  transport: "stdio",
  command: process.execPath,
  args: [EVERYTHING, "stdio"],
});

/** The same server over streamable HTTP, on a free port. */
export async function startEverythingHttp() {
  const port = await freePort();
  const proc = Bun.spawn([process.execPath, EVERYTHING, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  await waitFor(async () => (await fetch(url, { method: "GET" }).catch(() => null)) !== null, "everything over HTTP");
  return { url, stop: () => proc.kill() };
}

export async function addServer(server: TestServer, json: Record<string, unknown>) {
  const r = await server.api("/api/mcp/servers", { method: "POST", json });
  if (r.status !== 201) throw new Error(`POST /api/mcp/servers ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as { id: string; name: string };
}
