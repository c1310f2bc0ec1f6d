// The MCP gateway's cost: one tool call (server-everything's echo) through /mcp/s/{id} against the same
// call straight to the same npm server over stdio, alternating, in the same run. Goal: added p50 ≤ 2 ms.
// Also the same call as Qwen Code makes it: over stdio to `opendray mcp-stdio`, which relays to the gateway.
//   bun bench/mcp-gateway.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ROOT } from "../tests/harness";
import { claudeOnboarded } from "../tests/llm/support";
import { agentClient, bridgeClient, EVERYTHING } from "../tests/mcp/support";
import { benchServer, fmt, percentile, rssKiB } from "./common";

const WARMUP = 100;
const SAMPLES = 1000;

// An empty HOME (the agent's first run must not touch the user's), the project's agent CLIs on PATH.
const home = mkdtempSync(join(tmpdir(), "bench-mcp-home-"));
process.env.HOME = home;
process.env.PATH = `${join(ROOT, ".agents", "bin")}:${process.env.PATH}`;
claudeOnboarded(home);
const server = await benchServer();
try {
  const added = await server.api("/api/mcp/servers", {
    method: "POST",
    json: { name: "everything", transport: "stdio", command: process.execPath, args: [EVERYTHING, "stdio"] },
  });
  if (added.status !== 201) throw new Error(`server: ${JSON.stringify(added.body)}`);
  // A Claude Code session (left at its first screen) holds the gateway token; the bench speaks MCP as it would.
  const session = await server.api("/api/sessions", { method: "POST", json: { sessionType: "claude", cwd: home } });
  if (session.status !== 201) throw new Error(`session: ${JSON.stringify(session.body)}`);
  const viaGateway = await agentClient(server, session.body.id);
  const bridged = await bridgeClient(server, session.body.id);
  const viaBridge = bridged.client;
  const direct = new Client({ name: "bench", version: "1" });
  await direct.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, "stdio"] }));

  async function call(client: Client, name: string) {
    const t0 = performance.now();
    const r = (await client.callTool({ name, arguments: { message: "bench" } })) as { content: { text?: string }[] };
    const ms = performance.now() - t0;
    if (r.content[0]?.text !== "Echo: bench") throw new Error(`${name}: ${JSON.stringify(r)}`);
    return ms;
  }

  for (let i = 0; i < WARMUP; i++) {
    await call(direct, "echo");
    await call(viaGateway, "everything__echo");
    await call(viaBridge, "everything__echo");
  }
  const d: number[] = [];
  const g: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    d.push(await call(direct, "echo"));
    g.push(await call(viaGateway, "everything__echo"));
    b.push(await call(viaBridge, "everything__echo"));
  }
  console.log(
    `tools/call echo, ${SAMPLES} each: direct stdio p50 ${fmt(percentile(d, 50), 3)} ms p99 ${fmt(percentile(d, 99), 3)} ms; ` +
      `gateway p50 ${fmt(percentile(g, 50), 3)} ms p99 ${fmt(percentile(g, 99), 3)} ms; ` +
      `added p50 ${fmt(percentile(g, 50) - percentile(d, 50), 3)} ms (≤ 2), p99 ${fmt(percentile(g, 99) - percentile(d, 99), 3)} ms`,
  );
  console.log(
    `through \`bun src/main.ts mcp-stdio\` (Qwen Code's way): ` +
      `p50 ${fmt(percentile(b, 50), 3)} ms p99 ${fmt(percentile(b, 99), 3)} ms; ` +
      `added over the gateway p50 ${fmt(percentile(b, 50) - percentile(g, 50), 3)} ms, ` +
      `bridge RSS ${bridged.pid ? `${rssKiB(bridged.pid)} KiB` : "unknown"}`,
  );
  await viaGateway.close();
  await viaBridge.close();
  await direct.close();
} finally {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
