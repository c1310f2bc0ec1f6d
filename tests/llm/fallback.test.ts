import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";
import { startThinkingAnthropic, type ThinkingStub } from "../stubs/model-anthropic-thinking";
import { type ChatToolsStub, startChatToolsStub } from "../stubs/model-openai-chat-tools";
import { addEndpoint, claudeOnboarded, environOf, newProject } from "./support";

let server: TestServer;
let anthropic: ThinkingStub;
let chat: ChatToolsStub;

beforeAll(async () => {
  claudeOnboarded();
  anthropic = startThinkingAnthropic();
  // Requests without tools get the stub's plain "Stub title" reply.
  chat = startChatToolsStub(() => ({ text: "unused" }));
  server = await startServer({
    env: {
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      LLM_FIRST_BYTE_TIMEOUT_SECONDS: "1",
    },
  });
});

afterAll(async () => {
  await server?.stop();
  anthropic?.stop();
  chat?.stop();
});

/** A Claude session (left at its trust dialog, so it sends nothing itself) and its gateway token. */
async function routedClaude(json: Record<string, unknown>) {
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: newProject(), ...json },
  });
  expect(r.status).toBe(201);
  const token = environOf(r.body.pid).ANTHROPIC_AUTH_TOKEN as string;
  const ask = (text: string) =>
    fetch(`${server.url}/llm/s/${r.body.id}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": token, "content-type": "application/json" },
      body: JSON.stringify({ model: "any", max_tokens: 50, stream: true, messages: [{ role: "user", content: text }] }),
    });
  return { id: r.body.id as string, ask, token };
}

test("a 429 from the first endpoint falls back to the next before the agent sees a byte", async () => {
  const primary = await addEndpoint(server, { name: "primary", kind: "anthropic", baseUrl: anthropic.url });
  const backup = await addEndpoint(server, { name: "backup", baseUrl: chat.url });
  const { id, ask, token } = await routedClaude({
    llmProviderId: primary,
    model: "big",
    llmFallbacks: [{ providerId: backup, model: "chat-model" }],
  });
  anthropic.failNext(1, 429, "7");
  const before = anthropic.received.length;
  const res = await ask("ask-plum");
  expect(res.status).toBe(200);
  const body = await res.text();
  // Claude's own stream, translated from the backup's chat reply.
  expect(body).toContain("event: message_start");
  expect(body).toContain('"text":"title"');
  expect(anthropic.received.length).toBe(before + 1);
  expect(chat.bodies.at(-1)?.model).toBe("chat-model");
  const usage = await waitFor(async () => {
    const u = (await server.api(`/api/sessions/${id}/llm-usage`)).body;
    return u.requests === 1 ? u : null;
  }, "the request counted");

  expect(usage).toMatchObject({ requests: 1, fallbacks: 1, errors: 0, lastModel: "backup/chat-model" });
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });

  // A restart keeps the stored route, with a new token; the old one stays refused.
  const session = (await server.api(`/api/sessions/${id}`)).body;
  const oldToken = token;
  const again = await server.api(`/api/sessions/${id}/start`, { method: "POST" });
  expect(again.status).toBe(200);
  const env = environOf(again.body.session.pid);
  expect(env.ANTHROPIC_MODEL).toBe("big");
  expect(env.ANTHROPIC_BASE_URL).toBe(`${server.url}/llm/s/${id}/anthropic`);
  expect(env.ANTHROPIC_AUTH_TOKEN).not.toBe(oldToken);
  expect(session.llmProviderId).toBe(primary);
  expect(again.body.session.llmProviderId).toBe(primary);
  const stale = await fetch(`${server.url}/llm/s/${id}/anthropic/v1/models`, { headers: { "x-api-key": oldToken } });
  expect(stale.status).toBe(401);
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
});

test("an endpoint that does not answer within LLM_FIRST_BYTE_TIMEOUT_SECONDS hands over to the next; a slow stream after that is not cut", async () => {
  // Answers after 2.5 s (past the 1 s deadline).
  const silent = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async () => {
      await Bun.sleep(2500);
      return new Response("late", { status: 200 });
    },
  });
  // Answers at once, then takes 1.5 s over its body (the deadline is for the first byte only).
  const slow = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () =>
      new Response(
        new ReadableStream({
          async start(c) {
            const enc = new TextEncoder();
            c.enqueue(enc.encode('event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\n'));
            await Bun.sleep(1500);
            c.enqueue(enc.encode('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
            c.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  });
  try {
    const first = await addEndpoint(server, {
      name: "silent",
      kind: "anthropic",
      baseUrl: `http://127.0.0.1:${silent.port}`,
    });
    const second = await addEndpoint(server, {
      name: "slow",
      kind: "anthropic",
      baseUrl: `http://127.0.0.1:${slow.port}`,
    });
    const { id, ask } = await routedClaude({
      llmProviderId: first,
      model: "a",
      llmFallbacks: [{ providerId: second, model: "b" }],
    });
    const t0 = performance.now();
    const res = await ask("ask-d");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("message_stop");
    const took = performance.now() - t0;
    expect(took).toBeGreaterThan(2400);
    expect(took).toBeLessThan(5000);
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  } finally {
    silent.stop(true);
    slow.stop(true);
  }
});

test("a body that is not JSON, on a translated route, is a 400 in Claude's envelope, never a 500", async () => {
  const chatOnly = await addEndpoint(server, { name: "chat-for-bad-json", baseUrl: chat.url });
  const { id, token } = await routedClaude({ llmProviderId: chatOnly, model: "chat-model" });
  const bad = await fetch(`${server.url}/llm/s/${id}/anthropic/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": token, "content-type": "application/json" },
    body: "{not json",
  });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.type).toBe("invalid_request_error");
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
});

test("when every endpoint fails, Claude gets its own error envelope: 429 keeps retry-after, 5xx becomes 529 overloaded", async () => {
  const only = await addEndpoint(server, { name: "only", kind: "anthropic", baseUrl: anthropic.url });
  const { id, ask } = await routedClaude({ llmProviderId: only, model: "big" });
  anthropic.failNext(1, 429, "12");
  const limited = await ask("ask-a");
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toBe("12");
  expect(await limited.json()).toEqual({
    type: "error",
    error: { type: "rate_limit_error", message: "only: stub is busy" },
  });
  anthropic.failNext(1, 503);
  const busy = await ask("ask-b");
  expect(busy.status).toBe(529);
  const err = await busy.json();
  expect(err.error.type).toBe("overloaded_error");
  expect(err.error.message).toContain("stub is busy");
  // Counted as each answer goes out, without holding it up.
  const usage = await waitFor(async () => {
    const u = (await server.api(`/api/sessions/${id}/llm-usage`)).body;
    return u.errors === 2 ? u : null;
  }, "both failures counted");
  expect(usage).toMatchObject({ requests: 2, errors: 2, lastError: "only: stub is busy" });
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
});

test("an endpoint turned off after the session started is no longer called: the agent gets an overloaded error", async () => {
  const p = await addEndpoint(server, { name: "soon-off", kind: "anthropic", baseUrl: anthropic.url });
  const { id, ask } = await routedClaude({ llmProviderId: p, model: "big" });
  await server.api(`/api/llm-providers/${p}/toggle`, { method: "PATCH", json: { enabled: false } });
  const before = anthropic.received.length;
  const res = await ask("ask-c");
  expect(res.status).toBe(529);
  expect((await res.json()).error.message).toContain("no enabled model endpoint");
  expect(anthropic.received.length).toBe(before);
  // And a restart of that session is refused naming the field.
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  const again = await server.api(`/api/sessions/${id}/start`, { method: "POST" });
  expect(again.status).toBe(422);
  expect(again.body.error.issues[0].path).toBe("llmProviderId");
});
