import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { addEndpoint, environOf, launchRouted, newProject, treeOf } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { type ChatToolsStub, startChatToolsStub } from "../stubs/model-openai-chat-tools";
import { addServer, everythingStdio, startEverythingHttp } from "./support";

const projects = { codex: newProject(), gemini: newProject(), opencode: newProject(), "qwen-code": newProject() };
const home = process.env.HOME as string;
let server: TestServer;
let model: ChatToolsStub;
let http: Awaited<ReturnType<typeof startEverythingHttp>>;
let endpointId: string;

const toolText = (messages: { role: string; content?: unknown }[]) =>
  messages
    .filter((m) => m.role === "tool")
    .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
    .join("\n");

beforeAll(async () => {
  mkdirSync(join(home, ".codex"), { recursive: true });
  writeFileSync(join(home, ".codex", "config.toml"), `[projects."${projects.codex}"]\ntrust_level = "trusted"\n`);
  const noUpdates = { enableAutoUpdate: false, enableAutoUpdateNotification: false };
  mkdirSync(join(home, ".gemini"), { recursive: true });
  writeFileSync(join(home, ".gemini", "settings.json"), JSON.stringify({ general: noUpdates }));
  writeFileSync(join(home, ".gemini", "trustedFolders.json"), JSON.stringify({ [projects.gemini]: "TRUST_FOLDER" }));
  mkdirSync(join(home, ".qwen"), { recursive: true });
  writeFileSync(join(home, ".qwen", "settings.json"), JSON.stringify({ general: noUpdates }));

  model = startChatToolsStub(({ toolResults, messages, toolNames }) => {
    const said = toolText(messages);
    if (said.includes("Echo: mcp-hello-")) return { text: "tool said: heard" };
    if (toolResults >= 4) return { text: "tool said: nothing" };
    // The streamable-HTTP server where the agent has it, else the stdio one.
    const echo =
      toolNames.find((n) => n.endsWith("web__echo")) ?? toolNames.find((n) => n.endsWith("everything__echo"));
    if (echo) return { tool: { name: echo, args: { message: "mcp-hello-7" } } };
    // Qwen Code holds MCP tools back until the model asks for them.
    if (toolNames.includes("tool_search"))
      return { tool: { name: "tool_search", args: { query: "select:mcp__opendray__everything__echo" } } };
    return { text: "no echo tool offered" };
  });
  http = await startEverythingHttp();
  server = await startServer({ env: { OPENCODE_DISABLE_AUTOUPDATE: "1", OPENCODE_DISABLE_MODELS_FETCH: "1" } });
  endpointId = await addEndpoint(server, { name: "chat-tools", baseUrl: model.url, apiKey: "sk-up-0002" });
  // The same npm server over stdio for every agent, and over streamable HTTP for Codex and OpenCode.
  await addServer(server, everythingStdio());
  await addServer(server, { name: "web", transport: "http", url: http.url, appliesTo: ["codex", "opencode"] });
});

afterAll(async () => {
  await server?.stop();
  model?.stop();
  http?.stop();
  closeScreens();
});

const READY: Record<string, string> = {
  codex: "Ask Codex",
  gemini: "Type your message",
  opencode: "chat-model",
  "qwen-code": "Type your message",
};

for (const type of ["codex", "gemini", "qwen-code", "opencode"] as const) {
  test(`${type}: a model scripted to call everything__echo (or web__echo over HTTP) gets the tool's result in its next request`, async () => {
    const before = model.bodies.length;
    let bridge: number[] = [];
    const { id, pid, screen } = await launchRouted(server, {
      sessionType: type,
      cwd: projects[type],
      llmProviderId: endpointId,
      model: "chat-model",
    });
    await screen.waitForText(READY[type] as string, 90_000);
    await waitFor(
      async () => (await server.api(`/api/sessions/${id}/mcp-calls`)).body.connectedAt,
      `${type} to list the gateway's tools`,
      60_000,
    );
    await Bun.sleep(1000);
    await screen.submit("please echo");
    // Each agent's own permission dialog for an MCP tool, answered with its first option.
    await waitFor(
      async () => {
        const p = await server.api(`/api/sessions/${id}/prompt`);
        if (p.body?.id && p.body.options?.length)
          await server.api(`/api/sessions/${id}/prompt/answer`, {
            method: "POST",
            json: { promptId: p.body.id, keys: [p.body.options[0].key] },
          });
        return model.bodies.slice(before).some((b) => toolText(b.messages as never).includes("Echo: mcp-hello-7"));
      },
      `${type}'s next request to carry the echo result`,
      120_000,
      500,
    ).catch(async (e) => {
      console.error(await screen.text());
      console.error(
        JSON.stringify(
          model.bodies
            .slice(before)
            .map((b) => (b.tools as { function: { name: string } }[] | undefined)?.map((t) => t.function.name)),
        ),
      );
      throw e;
    });
    const calls = (await server.api(`/api/sessions/${id}/mcp-calls`)).body.calls;
    const want = type === "opencode" || type === "codex" ? "web__echo" : "everything__echo";
    expect(calls.some((c: { tool: string; isError: boolean }) => c.tool === want && !c.isError)).toBe(true);
    if (type === "gemini") {
      // Gemini CLI expanded the token's env variable in its settings (the call above got through): the file holds none.
      const env = environOf(pid);
      const settings = readFileSync(join(env.GEMINI_CLI_HOME as string, ".gemini", "settings.json"), "utf8");
      expect(env.OPENDRAY_MCP_TOKEN).toMatch(/^odl_/);
      expect(settings).not.toContain(env.OPENDRAY_MCP_TOKEN as string);
      expect(settings).toContain("OPENDRAY_MCP_TOKEN");
    }
    if (type === "qwen-code") {
      // Qwen Code reached the gateway through `opendray mcp-stdio` (the call above): no file or argv holds the token.
      const token = environOf(pid).OPENDRAY_MCP_TOKEN as string;
      expect(token).toMatch(/^odl_/);
      const file = readFileSync(join(server.home, "mcp-sessions", id, "mcp.json"), "utf8");
      expect(file).toContain("mcp-stdio");
      expect(file).not.toContain(token);
      const argv = (p: number) => readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
      bridge = treeOf(pid).filter((p) => argv(p).includes("mcp-stdio"));
      expect(bridge.length).toBe(1);
      for (const p of [pid, ...bridge]) expect(argv(p).join(" ")).not.toContain(token);
    }
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" }).catch(() => {});
    // The bridge goes with its agent.
    await waitFor(() => bridge.every((p) => !existsSync(`/proc/${p}`)), "the bridge to exit with Qwen Code", 15_000);
    screen.close();
  }, 240_000);
}

test("no MCP configuration is written into the user's own config or the projects", () => {
  expect(readFileSync(join(home, ".codex", "config.toml"), "utf8")).not.toContain("mcp_servers");
  expect(readFileSync(join(home, ".gemini", "settings.json"), "utf8")).not.toContain("mcpServers");
  expect(readFileSync(join(home, ".qwen", "settings.json"), "utf8")).not.toContain("mcpServers");
  const xdg = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  for (const f of ["opencode.json", "opencode.jsonc", "config.json"]) {
    const p = join(xdg, "opencode", f);
    if (existsSync(p)) expect(readFileSync(p, "utf8")).not.toContain("opendray");
  }
  for (const dir of Object.values(projects))
    for (const f of [
      ".mcp.json",
      ".gemini/settings.json",
      ".qwen/settings.json",
      "opencode.json",
      ".codex/config.toml",
    ])
      expect(existsSync(join(dir, f))).toBe(false);
});
