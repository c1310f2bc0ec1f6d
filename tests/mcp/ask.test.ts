import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { startServer, type TestServer, waitFor } from "../harness";
import { claudeOnboarded, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { BotApiStub } from "../stubs/bot-api";
import { botServerEnv, CHAT, TOKEN } from "../telegram/support";
import { agentClient } from "./support";

let api: BotApiStub;
let server: TestServer;
let sessionId: string;
let agent: Client;

beforeAll(async () => {
  claudeOnboarded();
  api = new BotApiStub().start();
  api.addBot(TOKEN);
  server = await startServer({ env: botServerEnv(api) });
  // A real agent session gives the gateway its token; the test then speaks MCP as the agent does.
  const { id } = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  sessionId = id;
  agent = await agentClient(server, id);
});

afterAll(async () => {
  await agent?.close();
  await server?.stop();
  await api?.stop();
  closeScreens();
});

const askUser = (question: string, options: string[]) =>
  agent.callTool({ name: "ask_user", arguments: { question, options } }, undefined, { timeout: 60_000 });

test("ask_user arrives as a prompt of kind ask; answered through the prompt API, the agent gets the chosen label", async () => {
  const call = askUser("Deploy to staging or prod?", ["staging", "prod"]);
  const prompt = await waitFor(async () => {
    const r = await server.api(`/api/sessions/${sessionId}/prompt`);
    return r.body?.kind === "ask" ? r.body : null;
  }, "the ask prompt");
  expect(prompt).toMatchObject({
    question: "Deploy to staging or prod?",
    options: [
      { key: "1", label: "staging" },
      { key: "2", label: "prod" },
    ],
    multi: false,
  });
  const bad = await server.api(`/api/sessions/${sessionId}/prompt/answer`, {
    method: "POST",
    json: { promptId: prompt.id, keys: ["7"] },
  });
  expect(bad.status).toBe(422);
  const ok = await server.api(`/api/sessions/${sessionId}/prompt/answer`, {
    method: "POST",
    json: { promptId: prompt.id, keys: ["2"] },
  });
  expect(ok.status).toBe(200);
  const result = (await call) as { content: { text: string }[]; structuredContent: unknown };
  expect(result.content[0]?.text).toBe("prod");
  expect(result.structuredContent).toEqual({ chosen: ["prod"], keys: ["2"] });
  // The question is gone once answered; the call is in the session's log.
  expect((await server.api(`/api/sessions/${sessionId}/prompt`)).body?.kind).not.toBe("ask");
  const calls = (await server.api(`/api/sessions/${sessionId}/mcp-calls`)).body.calls;
  expect(calls[0]).toMatchObject({ tool: "ask_user", arguments: { question: "Deploy to staging or prod?" } });
}, 90_000);

test("ask_user arrives in Telegram with a keyboard; a tap is the tool's result", async () => {
  const call = askUser("Which database?", ["postgres", "sqlite", "mysql"]);
  const msg = await api.waitForMessage(CHAT, (m) => !!m.text?.includes("Which database?") && !!m.keyboard, {
    timeoutMs: 20_000,
  });
  const button = msg.keyboard?.flat().find((b) => b.text.includes("sqlite"));
  expect(button?.callback_data).toBeDefined();
  api.userTaps(TOKEN, CHAT, msg.messageId, button?.callback_data as string);
  const result = (await call) as { content: { text: string }[] };
  expect(result.content[0]?.text).toBe("sqlite");
}, 60_000);

test("notify_user sends the agent's message to the phone's Telegram chat", async () => {
  const r = (await agent.callTool({ name: "notify_user", arguments: { text: "Build finished: 3 tests fixed" } })) as {
    isError?: boolean;
  };
  expect(r.isError).toBeFalsy();
  await api.waitForMessage(CHAT, (m) => !!m.text?.includes("Build finished: 3 tests fixed"), { timeoutMs: 20_000 });
});
