import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT, startServer, type TestServer } from "../harness";
import { claudeOnboarded, claudeReady, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { addServer, bridgeClient, everythingStdio } from "./support";

let server: TestServer;
let sessionId: string;

const textOf = (r: unknown) => ((r as { content: { text?: string }[] }).content[0]?.text ?? "") as string;

beforeAll(async () => {
  claudeOnboarded();
  server = await startServer();
  await addServer(server, everythingStdio());
  // A Claude Code session holds a gateway token; the bridge is given it as Qwen Code gives it its env.
  const { id, screen } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  await claudeReady(screen);
  sessionId = id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  closeScreens();
});

test("an agent speaking stdio to `opendray mcp-stdio <url>` lists the session's tools and its call is audited", async () => {
  const { client } = await bridgeClient(server, sessionId);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("everything__echo");
    expect(names).toContain("ask_user");
    const r = await client.callTool({ name: "everything__echo", arguments: { message: "via-bridge" } });
    expect(textOf(r)).toBe("Echo: via-bridge");
  } finally {
    await client.close();
  }
  const calls = (await server.api(`/api/sessions/${sessionId}/mcp-calls`)).body.calls as {
    tool: string;
    isError: boolean;
    arguments: unknown;
  }[];
  expect(calls.map((c) => [c.tool, c.isError, c.arguments])).toContainEqual([
    "everything__echo",
    false,
    { message: "via-bridge" },
  ]);
}, 60_000);

test("with a wrong token the agent's initialize is answered at once with the gateway's refusal, not left to time out", async () => {
  const t0 = performance.now();
  const failed = await bridgeClient(server, sessionId, { token: "odl_not-this-one" }).then(
    () => "connected",
    (e: Error) => e.message,
  );
  expect(failed).toContain("unknown session or token");
  expect(performance.now() - t0).toBeLessThan(10_000);
}, 30_000);

test("the bridge ends when the agent closes its stdin, and refuses to start without a URL or a token", async () => {
  const main = join(ROOT, "src", "main.ts");
  const url = `${server.url}/mcp/s/${sessionId}`;
  const bridge = Bun.spawn([process.execPath, main, "mcp-stdio", url], {
    env: { ...process.env, OPENDRAY_MCP_TOKEN: "odl_x" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  await Bun.sleep(300);
  bridge.stdin.end();
  const code = await Promise.race([bridge.exited, Bun.sleep(5000).then(() => "still running")]);
  expect(code).toBe(0);

  const noToken = Bun.spawnSync([process.execPath, main, "mcp-stdio", url], {
    env: { ...process.env, OPENDRAY_MCP_TOKEN: "" },
  });
  expect(noToken.exitCode).toBe(2);
  expect(noToken.stderr.toString()).toContain("OPENDRAY_MCP_TOKEN is not set");
  const noUrl = Bun.spawnSync([process.execPath, main, "mcp-stdio", "not a url"], {
    env: { ...process.env, OPENDRAY_MCP_TOKEN: "odl_x" },
  });
  expect(noUrl.exitCode).toBe(2);
  expect(noUrl.stderr.toString()).toContain("expected one http(s) URL");
}, 30_000);
