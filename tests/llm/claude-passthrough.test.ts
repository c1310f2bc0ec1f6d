import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";
import { closeScreens } from "../plugins/screen";
import { startThinkingAnthropic, type ThinkingStub } from "../stubs/model-anthropic-thinking";
import { addEndpoint, claudeOnboarded, claudeReady, environOf, launchRouted, newProject, treeOf } from "./support";

const UPSTREAM_KEY = "sk-ant-upstream-secret-0123456789";
let server: TestServer;
let stub: ThinkingStub;

beforeAll(async () => {
  stub = startThinkingAnthropic();
  claudeOnboarded();
  server = await startServer({
    env: {
      ANTHROPIC_UPSTREAM_KEY: UPSTREAM_KEY,
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
  });
});

afterAll(async () => {
  await server?.stop();
  stub?.stop();
  closeScreens();
});

const gateway = (id: string, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}/llm/s/${id}/anthropic${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });

test("Claude Code on an Anthropic endpoint goes through the gateway untouched: thinking signatures come back intact, no upstream key in its environment", async () => {
  const providerId = await addEndpoint(server, {
    name: "anthropic-stub",
    kind: "anthropic",
    baseUrl: stub.url,
    apiKeyEnv: "ANTHROPIC_UPSTREAM_KEY",
  });
  const project = newProject();
  const { id, pid, screen } = await launchRouted(server, {
    sessionType: "claude",
    cwd: project,
    llmProviderId: providerId,
    model: "stub-thinker",
  });
  await claudeReady(screen);
  await screen.submit("ask-apple");
  await screen.waitForText("reply-apple");
  await screen.submit("ask-pear");
  await screen.waitForText("reply-pear");

  // The upstream got its own key, never the session token; the model is the routed one.
  const turns = stub.received.filter((r) => r.raw.includes("ask-"));
  expect(turns.length).toBeGreaterThanOrEqual(2);
  for (const r of stub.received) {
    expect(r.headers["x-api-key"]).toBe(UPSTREAM_KEY);
    expect(r.headers.authorization).toBeUndefined();
    expect(JSON.parse(r.raw).model).toBe("stub-thinker");
  }
  expect(turns[0]?.path).toContain("beta=true");
  // The second turn carries the first reply's thinking block with its signature, byte for byte.
  const pear = turns.find((r) => r.raw.includes("ask-pear"));
  const appleReply =
    stub.signatures[stub.received.findIndex((r) => r.raw.includes("ask-apple") && !r.raw.includes("ask-pear"))];
  expect(appleReply).toBeDefined();
  expect(pear?.raw).toContain(JSON.stringify(appleReply).slice(1, -1));

  // No upstream key anywhere in the agent's process tree; the token is there instead.
  const env = environOf(pid);
  expect(env.ANTHROPIC_BASE_URL).toBe(`${server.url}/llm/s/${id}/anthropic`);
  expect(env.ANTHROPIC_AUTH_TOKEN).toMatch(/^odl_/);
  expect(env.ANTHROPIC_MODEL).toBe("stub-thinker");
  expect(env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe("stub-thinker");
  expect(env.ANTHROPIC_UPSTREAM_KEY).toBeUndefined();
  for (const p of treeOf(pid)) {
    const raw = JSON.stringify(environOf(p));
    expect(raw).not.toContain(UPSTREAM_KEY);
  }
  const token = env.ANTHROPIC_AUTH_TOKEN as string;

  // The bytes the agent gets are the bytes the upstream sent.
  const before = stub.sent.length;
  const direct = await gateway(id, "/v1/messages?beta=true", token, {
    method: "POST",
    body: JSON.stringify({
      model: "whatever",
      stream: true,
      max_tokens: 5,
      messages: [{ role: "user", content: "ask-kiwi" }],
    }),
  });
  expect(direct.status).toBe(200);
  expect(await direct.text()).toBe(stub.sent[before] as string);
  const counted = await gateway(id, "/v1/messages/count_tokens?beta=true", token, {
    method: "POST",
    body: JSON.stringify({ model: "x", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(await counted.json()).toEqual({ input_tokens: 42 });
  const models = await (await gateway(id, "/v1/models", token)).json();
  expect(models.data[0].id).toBe("stub-thinker");
  expect((await fetch(`${server.url}/llm/s/${id}/anthropic`, { method: "HEAD" })).status).toBe(200);

  // Other credentials are refused in Anthropic's own envelope.
  const wrong = await gateway(id, "/v1/models", "odl_wrong");
  expect(wrong.status).toBe(401);
  expect((await wrong.json()).type).toBe("error");

  // The server restarts (the session keeps running in the PTY host): the token still works.
  await server.kill9();
  await server.restart();
  expect((await server.api(`/api/sessions/${id}`)).body.status).not.toBe("exited");
  for (const header of ["authorization", "x-api-key"]) {
    const value = header === "authorization" ? `Bearer ${token}` : token;
    const r = await fetch(`${server.url}/llm/s/${id}/anthropic/v1/models`, { headers: { [header]: value } });
    expect(r.status).toBe(200);
  }
  await screen.waitFor(() => true, "screen");
  screen.close();

  const usage = await server.api(`/api/sessions/${id}/llm-usage`);
  expect(usage.body).toMatchObject({ routed: true, providerId, model: "stub-thinker", errors: 0 });
  // Claude's turn and the test's direct call; Claude's own background calls may add more.
  expect(usage.body.requests).toBeGreaterThanOrEqual(2);
  expect(usage.body.inputTokens).toBeGreaterThan(20);
  expect(usage.body.outputTokens).toBeGreaterThanOrEqual(7);

  // Once the session ends, its token is refused.
  expect((await server.api(`/api/sessions/${id}/stop`, { method: "POST" })).status).toBe(200);
  await waitFor(async () => (await gateway(id, "/v1/models", token)).status === 401, "the token to be revoked", 5000);
}, 150_000);

test("a session asking for an unknown, disabled or unusable endpoint, or no model, is refused naming the field", async () => {
  const project = newProject();
  const bad = async (json: Record<string, unknown>) => {
    const r = await server.api("/api/sessions", { method: "POST", json: { cwd: project, ...json } });
    expect(r.status).toBe(422);
    return r.body.error.issues[0].path as string;
  };
  const unknown = "00000000-0000-4000-8000-000000000000";
  expect(await bad({ sessionType: "claude", llmProviderId: unknown, model: "m" })).toBe("llmProviderId");
  const off = await addEndpoint(server, { name: "off", kind: "anthropic", baseUrl: stub.url, enabled: false });
  expect(await bad({ sessionType: "claude", llmProviderId: off, model: "m" })).toBe("llmProviderId");
  const on = await addEndpoint(server, { name: "on", kind: "anthropic", baseUrl: stub.url });
  expect(await bad({ sessionType: "claude", llmProviderId: on })).toBe("model");
  // Codex speaks Responses; an Anthropic-only endpoint cannot serve it.
  expect(await bad({ sessionType: "codex", llmProviderId: on, model: "m" })).toBe("llmProviderId");
  expect(await bad({ sessionType: "claude", llmProviderId: "nope", model: "m" })).toBe("llmProviderId");
  expect(
    await bad({
      sessionType: "claude",
      llmProviderId: on,
      model: "m",
      llmFallbacks: [{ providerId: unknown, model: "m" }],
    }),
  ).toBe("llmFallbacks.0.providerId");
});
