import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shutdownPtyHost, startServer, type TestServer, waitFor } from "../harness";
import { type AnthropicModelStub, startAnthropicModel } from "../stubs/model-anthropic";
import { type GeminiModelStub, startGeminiModel } from "../stubs/model-gemini";
import { type OpenAIModelStub, startOpenAIModel } from "../stubs/model-openai";
import { CLAUDE_KEY, useInstalledClis, writeAgentConfigs } from "./agent-home";
import { AgentScreen, closeScreens } from "./screen";

let server: TestServer;
let anthropic: AnthropicModelStub;
let openai: OpenAIModelStub;
let gemini: GeminiModelStub;
const project = mkdtempSync(join(tmpdir(), "agent-project-"));
const screens: AgentScreen[] = [];

beforeAll(async () => {
  useInstalledClis();
  anthropic = startAnthropicModel();
  openai = startOpenAIModel();
  gemini = startGeminiModel();
  writeAgentConfigs(process.env.HOME as string, { openai: openai.url }, project);
  server = await startServer({
    env: {
      AUTO_RESUME: "true",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
    },
  });
  // Endpoints and keys go through each plugin's own config fields, as a user would set them.
  const configs: Record<string, Record<string, string>> = {
    claude: { authType: "custom", apiKey: CLAUDE_KEY, baseUrl: anthropic.url },
    codex: { apiKey: "sk-stub" },
    "qwen-code": { authType: "openai", apiKey: "sk-stub", baseUrl: openai.url },
    gemini: { apiKey: "stub-gemini-key", baseUrl: gemini.url },
  };
  for (const [name, values] of Object.entries(configs)) {
    const r = await server.api(`/api/providers/${name}/config`, { method: "PUT", json: { values } });
    expect(r.status).toBe(200);
  }
});

afterAll(async () => {
  for (const s of screens) s.close();
  await server?.stop();
  anthropic?.stop();
  openai?.stop();
  gemini?.stop();
  closeScreens();
});

async function launch(sessionType: string, model?: string) {
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType, cwd: project, model, cols: 120, rows: 40 },
  });
  if (r.status !== 201) throw new Error(`launch ${sessionType}: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id as string, screen: await attach(r.body.id) };
}

async function attach(id: string, since = 0) {
  const screen = new AgentScreen(server.url, id, server.token, since);
  screens.push(screen);
  await screen.opened();
  return screen;
}

async function stop(id: string, screen: AgentScreen) {
  const r = await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  expect(r.status).toBe(200);
  const after = await server.api(`/api/sessions/${id}`);
  expect(after.body.status).toBe("exited");
  expect(after.body.pid).toBeNull();
  screen.close();
}

async function restart(id: string) {
  const { cursor } = (await server.api(`/api/sessions/${id}`)).body;
  const r = await server.api(`/api/sessions/${id}/start`, { method: "POST" });
  if (r.status !== 200) throw new Error(`restart: ${r.status} ${JSON.stringify(r.body)}`);
  return attach(id, cursor);
}

/** The model endpoint got a turn carrying `now` whose conversation also holds `before`. */
function sawEarlierTurn(log: AnthropicModelStub["log"], now: string, before: string) {
  return log.mentioning(now).some((r) => r.texts.some((t) => t.includes(before)));
}

/** Claude Code's prompt, past its real trust dialog when this folder is not trusted yet. */
async function claudeReady(screen: AgentScreen) {
  const first = await screen.waitFor(
    (s) => s.includes("trust this folder") || s.includes("for shortcuts"),
    "Claude Code to start",
  );
  if (first.includes("trust this folder")) {
    screen.type("\r");
    await screen.waitForText("for shortcuts");
  }
}

describe("Claude Code", () => {
  test("starts in a PTY, answers over the WebSocket, stops, and continues its conversation after a restart", async () => {
    const { id, screen } = await launch("claude", "sonnet");
    await screen.waitForText("trust this folder");
    screen.type("\r");
    await screen.waitForText("for shortcuts");
    await screen.submit("ask-apple");
    await screen.waitForText("reply-apple");
    const session = (await server.api(`/api/sessions/${id}`)).body;
    expect(session.resumeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    await stop(id, screen);

    const again = await restart(id);
    expect((await server.api(`/api/sessions/${id}`)).body.resumeId).toBe(session.resumeId);
    await again.waitForText("for shortcuts");
    await again.submit("ask-pear");
    await again.waitForText("reply-pear");
    expect(sawEarlierTurn(anthropic.log, "ask-pear", "ask-apple")).toBe(true);
    await stop(id, again);
  }, 120_000);

  test("a session stopped before anything was said starts again instead of failing to resume", async () => {
    const { id, screen } = await launch("claude");
    await claudeReady(screen);
    await stop(id, screen);
    const again = await restart(id);
    await claudeReady(again);
    await again.submit("ask-fig");
    await again.waitForText("reply-fig");
    expect(await again.text()).not.toContain("No conversation found");
    await stop(id, again);
  }, 120_000);

  test("AUTO_RESUME: after the server and its PTY host died, a running session comes back with its conversation", async () => {
    const { id, screen } = await launch("claude");
    await claudeReady(screen);
    await screen.submit("ask-plum");
    await screen.waitForText("reply-plum");
    const { cursor, resumeId } = (await server.api(`/api/sessions/${id}`)).body;
    // Claude Code writes its transcript lazily; a crash before that loses the turn in any setup.
    const transcripts = new Bun.Glob(`.claude/projects/*/${resumeId}.jsonl`);
    await waitFor(
      async () => {
        for await (const f of transcripts.scan({ cwd: process.env.HOME, absolute: true, dot: true }))
          if ((await Bun.file(f).text()).includes("reply-plum")) return true;
        return false;
      },
      "Claude Code to save the turn",
      30_000,
    );
    screen.close();
    await server.kill9();
    await shutdownPtyHost(server.home);
    await server.restart();

    const back = await attach(id, cursor);
    await back.waitForText("for shortcuts");
    expect((await server.api(`/api/sessions/${id}`)).body.status).not.toBe("exited");
    await back.submit("ask-grape");
    await back.waitForText("reply-grape");
    expect(sawEarlierTurn(anthropic.log, "ask-grape", "ask-plum")).toBe(true);
    await stop(id, back);
  }, 120_000);
});

describe("OpenAI-compatible agents", () => {
  const cases = [
    // codex resumes the cwd's latest conversation (no id); opencode's own id is captured on restart
    { type: "codex", ready: "Ask Codex", model: "stub-model", path: "/v1/responses", resumeId: /^$/ },
    {
      type: "opencode",
      ready: "Stub Model",
      model: "stub/stub-model",
      path: "/v1/chat/completions",
      resumeId: /^ses_\w+$/,
    },
    {
      type: "qwen-code",
      ready: "Type your message",
      model: "stub-model",
      path: "/v1/chat/completions",
      resumeId: /^[0-9a-f-]{36}$/,
    },
  ];
  for (const c of cases) {
    test(`${c.type}: its TUI answers through the local endpoint, stops, and resumes its conversation`, async () => {
      const first = `ask-${c.type.replace("-", "")}one`;
      const second = `ask-${c.type.replace("-", "")}two`;
      const { id, screen } = await launch(c.type, c.model);
      await screen.waitForText(c.ready);
      await screen.submit(first);
      await screen.waitForText(first.replace("ask-", "reply-"));
      expect(openai.log.mentioning(first).some((r) => r.path === c.path)).toBe(true);
      await stop(id, screen);

      const again = await restart(id);
      expect((await server.api(`/api/sessions/${id}`)).body.resumeId ?? "").toMatch(c.resumeId);
      // The new process shows the earlier prompt before anything is typed.
      await again.waitForText(first);
      await again.submit(second);
      await again.waitForText(second.replace("ask-", "reply-"));
      expect(sawEarlierTurn(openai.log, second, first)).toBe(true);
      await stop(id, again);
    }, 120_000);
  }
});

test("OpenCode's model list comes from the CLI, including the configured local provider", async () => {
  const r = await server.api("/api/providers/opencode/models");
  expect(r.body.dynamic).toBe(true);
  expect(r.body.models.map((m: { id: string }) => m.id)).toContain("stub/stub-model");
});

describe("Gemini CLI", () => {
  test("its TUI answers through a local Gemini API endpoint, stops, and resumes its conversation by id", async () => {
    const { id, screen } = await launch("gemini", "gemini-2.5-flash");
    await screen.waitForText("Type your message");
    expect(await screen.text()).not.toContain("untrusted folder");
    await screen.submit("ask-melon");
    await screen.waitForText("reply-melon");
    const session = (await server.api(`/api/sessions/${id}`)).body;
    expect(session.resumeId).toMatch(/^[0-9a-f-]{36}$/);
    await stop(id, screen);

    const again = await restart(id);
    await again.waitForText("ask-melon");
    await again.waitForText("Type your message");
    await again.submit("ask-lemon");
    await again.waitForText("reply-lemon");
    expect(sawEarlierTurn(gemini.log, "ask-lemon", "ask-melon")).toBe(true);
    await stop(id, again);
  }, 120_000);
});
