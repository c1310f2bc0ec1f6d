import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { addEndpoint, claudeOnboarded, claudeReady, environOf, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { type ChatToolsStub, startChatToolsStub } from "../stubs/model-openai-chat-tools";
import { addServer, everythingStdio } from "./support";

let server: TestServer;
let model: ChatToolsStub;
let endpointId: string;

const toolText = (messages: { role: string; content?: unknown }[]) =>
  messages
    .filter((m) => m.role === "tool")
    .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
    .join("\n");

beforeAll(async () => {
  claudeOnboarded();
  model = startChatToolsStub(({ toolResults, messages, toolNames }) => {
    const echo = toolNames.find((n) => n.endsWith("everything__echo"));
    if (toolResults === 0 && echo) return { tool: { name: echo, args: { message: "mcp-hello-42" } } };
    if (toolResults > 0)
      return { text: `tool said: ${toolText(messages).includes("mcp-hello-42") ? "heard" : "nothing"}` };
    return { text: "no echo tool offered" };
  });
  server = await startServer({
    env: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
  });
  endpointId = await addEndpoint(server, { name: "chat-tools", baseUrl: model.url, apiKey: "sk-up-0001" });
  await addServer(server, everythingStdio());
});

afterAll(async () => {
  await server?.stop();
  model?.stop();
  closeScreens();
});

test("Claude Code calls everything__echo through the gateway after its own permission dialog is answered through the prompt API; the result reaches the model and the call is audited", async () => {
  const project = newProject();
  const { id, pid, screen } = await launchRouted(server, {
    sessionType: "claude",
    cwd: project,
    llmProviderId: endpointId,
    model: "chat-model",
  });
  await claudeReady(screen);
  await waitFor(
    async () => (await server.api(`/api/sessions/${id}/mcp-calls`)).body.connectedAt,
    "Claude Code to list the gateway's tools",
    60_000,
  );
  await Bun.sleep(1000);
  await screen.submit("please echo");
  const prompt = await waitFor(
    async () => {
      const r = await server.api(`/api/sessions/${id}/prompt`);
      return r.body?.question && /proceed/i.test(r.body.question) ? r.body : null;
    },
    "Claude Code's MCP permission dialog as a structured prompt",
    90_000,
    200,
  ).catch(async (e) => {
    console.error(await screen.text());
    console.error(
      JSON.stringify(
        model.bodies.map((b) => (b.tools as { function: { name: string } }[] | undefined)?.map((t) => t.function.name)),
      ),
    );
    console.error(server.logs().slice(-3000));
    throw e;
  });
  expect(JSON.stringify(prompt)).toContain("echo");
  const answer = await server.api(`/api/sessions/${id}/prompt/answer`, {
    method: "POST",
    json: { promptId: prompt.id, keys: [prompt.options[0].key] },
  });
  expect(answer.status).toBe(200);
  await screen.waitForText("tool said: heard", 90_000);

  // The model's next request carried the tool's real result.
  const next = model.bodies.find((b) => toolText(b.messages as never).includes("Echo: mcp-hello-42"));
  expect(next).toBeDefined();

  const calls = await server.api(`/api/sessions/${id}/mcp-calls`);
  expect(calls.body.calls).toHaveLength(1);
  expect(calls.body.calls[0]).toMatchObject({
    tool: "everything__echo",
    arguments: { message: "mcp-hello-42" },
    isError: false,
  });
  expect(JSON.stringify(calls.body.calls[0].result)).toContain("Echo: mcp-hello-42");

  // Rendered in a 0600 file of the session's own (0700), none in the project or the user's config.
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  const file = argv[argv.indexOf("--mcp-config") + 1] as string;
  expect(file).toBe(join(server.home, "mcp-sessions", id, "mcp.json"));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(server.home, "mcp-sessions", id)).mode & 0o777).toBe(0o700);
  expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.opendray.url).toBe(`${server.url}/mcp/s/${id}`);
  expect(JSON.stringify(environOf(pid))).not.toContain("mcp-sessions");
  expect(readdirSync(project)).not.toContain(".mcp.json");
  const userConfig = JSON.parse(readFileSync(join(process.env.HOME as string, ".claude.json"), "utf8"));
  expect(JSON.stringify(userConfig.mcpServers ?? {})).not.toContain("opendray");
  for (const p of Object.values(userConfig.projects ?? {}) as { mcpServers?: unknown }[])
    expect(JSON.stringify(p.mcpServers ?? {})).not.toContain("opendray");

  // The file names the token's env variable; Claude Code expanded it (the calls above got through).
  const token = environOf(pid).OPENDRAY_MCP_TOKEN as string;
  expect(token).toMatch(/^odl_/);
  expect(readFileSync(file, "utf8")).not.toContain(token);
  expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.opendray.headers.Authorization).toBe(
    ["Bearer $", "{OPENDRAY_MCP_TOKEN}"].join(""),
  );

  // A deleted session's files go; its token no longer opens the gateway.
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  expect(existsSync(join(server.home, "mcp-sessions", id))).toBe(false);
  const refused = await fetch(`${server.url}/mcp/s/${id}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(refused.status).toBe(401);
  screen.close();
}, 240_000);
