import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { closeScreens } from "../plugins/screen";
import { replyFor } from "../stubs/model-common";
import { type OpenAIModelStub, startOpenAIModel } from "../stubs/model-openai";
import { type ChatToolsStub, startChatToolsStub } from "../stubs/model-openai-chat-tools";
import { addEndpoint, environOf, launchRouted, newProject, treeOf } from "./support";

const UPSTREAM_KEY = "sk-upstream-never-in-an-agent-0042";
const projects = { codex: newProject(), gemini: newProject(), opencode: newProject(), qwen: newProject() };
let server: TestServer;
let chatOnly: ChatToolsStub;
let openai: OpenAIModelStub;
let chatOnlyId: string;
let openaiId: string;

const lastUserText = (messages: { role: string; content?: unknown }[]) => {
  const c = messages.filter((m) => m.role === "user").at(-1)?.content;
  return typeof c === "string" ? c : JSON.stringify(c ?? "");
};

beforeAll(async () => {
  const home = process.env.HOME as string;
  // Each CLI past its first-run screens; the projects trusted (their dialogs are not the point here).
  mkdirSync(join(home, ".codex"), { recursive: true });
  writeFileSync(join(home, ".codex", "config.toml"), `[projects."${projects.codex}"]\ntrust_level = "trusted"\n`);
  mkdirSync(join(home, ".gemini"), { recursive: true });
  const noUpdates = { enableAutoUpdate: false, enableAutoUpdateNotification: false };
  // No auth type chosen: a routed session's own GEMINI_CLI_HOME selects the API key.
  writeFileSync(join(home, ".gemini", "settings.json"), JSON.stringify({ general: noUpdates }));
  writeFileSync(join(home, ".gemini", "trustedFolders.json"), JSON.stringify({ [projects.gemini]: "TRUST_FOLDER" }));
  mkdirSync(join(home, ".qwen"), { recursive: true });
  writeFileSync(join(home, ".qwen", "settings.json"), JSON.stringify({ general: noUpdates }));

  chatOnly = startChatToolsStub(({ toolResults, messages }) => {
    const text = lastUserText(messages);
    if (text.includes("create codex.txt"))
      return toolResults === 0
        ? {
            tool: {
              name: "exec_command",
              args: {
                cmd: "touch codex.txt",
                sandbox_permissions: "require_escalated",
                justification: "Create codex.txt",
              },
            },
          }
        : { text: "Created codex.txt." };
    return { text: replyFor(text) };
  });
  openai = startOpenAIModel(undefined, ["stub-model"]);
  server = await startServer({
    env: { OPENCODE_DISABLE_AUTOUPDATE: "1", OPENCODE_DISABLE_MODELS_FETCH: "1" },
  });
  chatOnlyId = await addEndpoint(server, { name: "chat-only", baseUrl: chatOnly.url, apiKey: UPSTREAM_KEY });
  openaiId = await addEndpoint(server, { name: "openai-like", baseUrl: openai.url, apiKey: UPSTREAM_KEY });
  const probe = await server.api(`/api/llm-providers/${chatOnlyId}/probe`, { method: "POST" });
  expect(probe.body.wires).toMatchObject({
    openaiChat: { ok: true },
    openaiResponses: { ok: false },
    geminiGenerate: { ok: false },
  });
});

afterAll(async () => {
  await server?.stop();
  chatOnly?.stop();
  openai?.stop();
  closeScreens();
});

/** No upstream key in the environment of the agent or anything it started. */
function noUpstreamKey(pid: number) {
  for (const p of treeOf(pid)) {
    try {
      expect(JSON.stringify(environOf(p))).not.toContain(UPSTREAM_KEY);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

describe("through the gateway", () => {
  test("Codex on a chat-only endpoint (Responses translated to Chat) runs its exec_command tool once approved", async () => {
    const { id, pid, screen } = await launchRouted(server, {
      sessionType: "codex",
      cwd: projects.codex,
      llmProviderId: chatOnlyId,
      model: "chat-model",
    });
    noUpstreamKey(pid);
    expect(environOf(pid).OPENDRAY_LLM_TOKEN).toMatch(/^odl_/);
    await screen.waitForText("Ask Codex", 60_000);
    await screen.submit("create codex.txt");
    const prompt = await waitFor(
      async () => {
        const r = await server.api(`/api/sessions/${id}/prompt`);
        return r.body?.kind === "approval" ? r.body : null;
      },
      "Codex's approval prompt",
      60_000,
      200,
    );
    const answer = await server.api(`/api/sessions/${id}/prompt/answer`, {
      method: "POST",
      json: { promptId: prompt.id, keys: ["1"] },
    });
    expect(answer.status).toBe(200);
    await screen.waitForText("Created codex.txt.", 60_000);
    expect(existsSync(join(projects.codex, "codex.txt"))).toBe(true);
    // The tool result went back to the chat endpoint tied to its call.
    const withResult = chatOnly.bodies.find((b) => (b.messages as { role: string }[]).some((m) => m.role === "tool"));
    expect(withResult?.tools).toBeDefined();
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
    screen.close();
  }, 150_000);

  test("Gemini CLI on a chat-only endpoint (Gemini translated to Chat) answers on screen", async () => {
    const { id, pid, screen } = await launchRouted(server, {
      sessionType: "gemini",
      cwd: projects.gemini,
      llmProviderId: chatOnlyId,
      model: "chat-model",
      // Headless: the prompt is the argument, the answer printed in the PTY.
      extraArgs: ["-p", "ask-lime"],
    });
    noUpstreamKey(pid);
    const geminiHome = environOf(pid).GEMINI_CLI_HOME as string;
    expect(geminiHome).toBe(join(server.home, "llm-homes", id));
    await screen.waitForText("reply-lime", 60_000);
    // The user's settings plus the session's auth choice; the user's own file untouched.
    const settings = JSON.parse(readFileSync(join(geminiHome, ".gemini", "settings.json"), "utf8"));
    expect(settings).toMatchObject({
      general: { enableAutoUpdate: false },
      security: { auth: { selectedType: "gemini-api-key" } },
    });
    expect(readFileSync(join(process.env.HOME as string, ".gemini", "settings.json"), "utf8")).not.toContain(
      "selectedType",
    );
    expect(chatOnly.log.mentioning("ask-lime").length).toBeGreaterThan(0);
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" }).catch(() => {});
    screen.close();
  }, 150_000);

  for (const [type, ready] of [
    ["opencode", "stub-model"],
    ["qwen-code", "Type your message"],
  ] as const) {
    test(`${type} answers through the gateway's OpenAI Chat passthrough`, async () => {
      const word = `ask-${type.replace("-", "")}gw`;
      const { id, pid, screen } = await launchRouted(server, {
        sessionType: type,
        cwd: type === "opencode" ? projects.opencode : projects.qwen,
        llmProviderId: openaiId,
        model: "stub-model",
      });
      noUpstreamKey(pid);
      await screen.waitForText(ready, 60_000);
      await screen.submit(word);
      await screen.waitForText(word.replace("ask-", "reply-"), 60_000);
      const seen = openai.log.mentioning(word);
      expect(seen.some((r) => r.path === "/v1/chat/completions")).toBe(true);
      expect((await server.api(`/api/sessions/${id}/llm-usage`)).body.requests).toBeGreaterThan(0);
      await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
      screen.close();
    }, 150_000);
  }
});
