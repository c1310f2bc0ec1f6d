import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { closeScreens } from "../plugins/screen";
import { type ChatToolsStub, startChatToolsStub } from "../stubs/model-openai-chat-tools";
import { addEndpoint, claudeOnboarded, claudeReady, environOf, launchRouted, newProject } from "./support";

let server: TestServer;
const stubs: ChatToolsStub[] = [];

beforeAll(async () => {
  claudeOnboarded();
  server = await startServer({ env: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } });
});

afterAll(async () => {
  await server?.stop();
  for (const s of stubs) s.stop();
  closeScreens();
});

/** Real Claude Code on an endpoint that only speaks OpenAI Chat: it writes a file after the user allows it. */
async function writesThroughChat(argsInFinalChunk: boolean) {
  const project = newProject();
  const file = join(project, "hello.txt");
  const stub = startChatToolsStub(
    ({ toolResults }) =>
      toolResults === 0
        ? { tool: { name: "Write", args: { file_path: file, content: "written through chat\n" } } }
        : { text: "Created hello.txt for you." },
    { argsInFinalChunk },
  );
  stubs.push(stub);
  const providerId = await addEndpoint(server, {
    name: `chat-only-${argsInFinalChunk ? "final" : "split"}`,
    baseUrl: stub.url,
    apiKey: "sk-chat-upstream",
  });
  const probe = await server.api(`/api/llm-providers/${providerId}/probe`, { method: "POST" });
  expect(probe.body.wires.openaiChat.ok).toBe(true);
  expect(probe.body.wires.anthropicMessages.ok).toBe(false);

  const { id, pid, screen } = await launchRouted(server, {
    sessionType: "claude",
    cwd: project,
    llmProviderId: providerId,
    model: "chat-model",
  });
  await claudeReady(screen);
  await screen.submit("create hello.txt");
  const prompt = await waitFor(
    async () => {
      const r = await server.api(`/api/sessions/${id}/prompt`);
      return r.body?.kind === "permission" ? r.body : null;
    },
    "Claude Code's permission prompt",
    60_000,
    200,
  );
  expect(prompt.question).toBe("Do you want to create hello.txt?");
  const answer = await server.api(`/api/sessions/${id}/prompt/answer`, {
    method: "POST",
    json: { promptId: prompt.id, keys: ["1"] },
  });
  expect(answer.status).toBe(200);
  await screen.waitForText("Created hello.txt for you.", 60_000);
  expect(existsSync(file)).toBe(true);
  expect(readFileSync(file, "utf8")).toBe("written through chat\n");

  // What the chat endpoint got: the routed model, its own key, the tool result tied to its own call id.
  const turn = stub.bodies.find((b) => (b.messages as { role: string }[]).some((m) => m.role === "tool")) as {
    model: string;
    messages: { role: string; tool_call_id?: string; content: unknown; tool_calls?: { id: string }[] }[];
    tools: { function: { name: string } }[];
  };
  expect(turn.model).toBe("chat-model");
  expect(turn.messages[0]?.role).toBe("system");
  const call = turn.messages.find((m) => m.tool_calls)?.tool_calls?.[0];
  const result = turn.messages.find((m) => m.role === "tool");
  expect(call?.id).toMatch(/^call_\d+$/);
  expect(result?.tool_call_id).toBe(call?.id);
  expect(turn.tools.map((t) => t.function.name)).toContain("Write");

  // count_tokens is answered with an estimate (the endpoint has none), never a 404.
  const session = (await server.api(`/api/sessions/${id}`)).body;
  expect(session.llmProviderId).toBe(providerId);
  const token = environOf(pid).ANTHROPIC_AUTH_TOKEN as string;
  const counted = await fetch(`${server.url}/llm/s/${id}/anthropic/v1/messages/count_tokens?beta=true`, {
    method: "POST",
    headers: { "x-api-key": token, "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "count these words please" }] }),
  });
  expect(counted.status).toBe(200);
  expect(counted.headers.get("x-opendray-estimate")).toBe("true");
  expect((await counted.json()).input_tokens).toBeGreaterThan(0);
  const usage = (await server.api(`/api/sessions/${id}/llm-usage`)).body;
  expect(usage.requests).toBeGreaterThanOrEqual(2);
  // Every translated reply's usage is counted (the stub reports 30 in, 9 out each time).
  expect(usage.inputTokens).toBe(30 * usage.requests);
  expect(usage.outputTokens).toBe(9 * usage.requests);
  expect(usage.lastModel).toBe(`chat-only-${argsInFinalChunk ? "final" : "split"}/chat-model`);
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  screen.close();
}

test("Claude Code on an OpenAI-Chat-only model writes a file after the permission is answered through the prompt API", async () => {
  await writesThroughChat(false);
}, 150_000);

test("Claude Code still gets the tool call when the chat stream sends its arguments only in the final chunk", async () => {
  await writesThroughChat(true);
}, 150_000);
