import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";
import { type OllamaStub, startOllama } from "../stubs/model-ollama";
import { type OpenAIModelStub, startOpenAIModel } from "../stubs/model-openai";

let server: TestServer;
let ollama: OllamaStub;
let openai: OpenAIModelStub;

beforeAll(async () => {
  ollama = startOllama();
  openai = startOpenAIModel(undefined, ["stub-model", "other-model"]);
  server = await startServer({ env: { DESKTOP_OLLAMA_KEY: "sk-from-env-0000" } });
});

afterAll(async () => {
  await server?.stop();
  ollama?.stop();
  openai?.stop();
});

test("an endpoint is added, listed, probed for its protocols and models with context sizes, toggled and deleted", async () => {
  const created = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "ollama-desktop", kind: "ollama", baseUrl: ollama.url },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: "ollama-desktop", kind: "ollama", enabled: true, apiKeySet: false });
  const id = created.body.id as string;

  const list = await server.api("/api/llm-providers");
  expect(list.body.providers.map((p: { name: string }) => p.name)).toEqual(["ollama-desktop"]);

  const probe = await server.api(`/api/llm-providers/${id}/probe`, { method: "POST" });
  expect(probe.status).toBe(200);
  expect(probe.body.wires.openaiChat).toMatchObject({ ok: true, status: 200 });
  expect(probe.body.wires.anthropicMessages).toMatchObject({ ok: false, status: 404 });
  expect(probe.body.wires.openaiResponses.ok).toBe(false);
  expect(probe.body.wires.geminiGenerate.ok).toBe(false);
  expect(typeof probe.body.wires.openaiChat.ms).toBe("number");
  expect(probe.body.models).toEqual([
    { id: "qwen3:8b", contextWindow: 40960, tools: true, vision: false },
    { id: "llava:7b", contextWindow: 4096, tools: false, vision: true },
  ]);
  // The probe's answer is kept on the endpoint.
  expect((await server.api(`/api/llm-providers/${id}`)).body.models).toHaveLength(2);

  const models = await server.api(`/api/llm-providers/${id}/models`);
  expect(models.body).toMatchObject({ provider: "ollama-desktop", models: [{ id: "qwen3:8b" }, { id: "llava:7b" }] });

  const off = await server.api(`/api/llm-providers/${id}/toggle`, { method: "PATCH", json: { enabled: false } });
  expect(off.body.enabled).toBe(false);
  expect((await server.api(`/api/llm-providers/${id}`, { method: "DELETE" })).status).toBe(200);
  expect((await server.api(`/api/llm-providers/${id}`)).status).toBe(404);
});

test("an API key given as apiKey is sealed and never returned; apiKeyEnv names a server variable", async () => {
  const sealed = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "stub-openai", baseUrl: openai.url, apiKey: "sk-secret-value-1234" },
  });
  expect(sealed.status).toBe(201);
  expect(sealed.body.apiKeySet).toBe(true);
  expect(JSON.stringify(sealed.body)).not.toContain("sk-secret-value-1234");
  const all = await server.api("/api/llm-providers");
  expect(JSON.stringify(all.body)).not.toContain("sk-secret-value-1234");
  // /v1/models through the stored key (the stub accepts any).
  const models = await server.api(`/api/llm-providers/${sealed.body.id}/models`);
  expect(models.body.models.map((m: { id: string }) => m.id)).toEqual(["stub-model", "other-model"]);

  const byEnv = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "by-env", baseUrl: openai.url, apiKeyEnv: "DESKTOP_OLLAMA_KEY" },
  });
  expect(byEnv.body).toMatchObject({ apiKeyEnv: "DESKTOP_OLLAMA_KEY", apiKeySet: true });
  const renamed = await server.api(`/api/llm-providers/${byEnv.body.id}`, {
    method: "PUT",
    json: { apiKeyEnv: "NOT_SET_ANYWHERE" },
  });
  expect(renamed.body).toMatchObject({ name: "by-env", apiKeyEnv: "NOT_SET_ANYWHERE", apiKeySet: false });
});

test("bad endpoint input is refused naming the field, an unreachable endpoint's models are a 502 naming the error", async () => {
  const badName = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "Bad Name", baseUrl: "http://x" },
  });
  expect(badName.status).toBe(422);
  expect(badName.body.error.issues[0].path).toBe("name");
  const badUrl = await server.api("/api/llm-providers", { method: "POST", json: { name: "u", baseUrl: "ftp://x" } });
  expect(badUrl.status).toBe(422);
  expect(badUrl.body.error.issues[0].path).toBe("baseUrl");
  const both = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "both", baseUrl: "http://127.0.0.1:9", apiKey: "k", apiKeyEnv: "K" },
  });
  expect(both.status).toBe(422);
  expect(both.body.error.issues[0].path).toBe("apiKey");
  const badKind = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "k", kind: "nope", baseUrl: "http://127.0.0.1:9" },
  });
  expect(badKind.body.error.issues[0].path).toBe("kind");

  const dead = await server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "dead", baseUrl: "http://127.0.0.1:9/v1" },
  });
  expect(dead.status).toBe(201);
  const models = await server.api(`/api/llm-providers/${dead.body.id}/models`);
  expect(models.status).toBe(502);
  expect(models.body.error.message).toContain("dead:");
  expect(models.body.error.message).toContain("unreachable");
  const dup = await server.api("/api/llm-providers", { method: "POST", json: { name: "dead", baseUrl: "http://x.y" } });
  expect(dup.status).toBe(409);
  expect((await server.api("/api/llm-providers/not-a-uuid")).status).toBe(422);
  expect((await server.api("/api/sessions/00000000-0000-4000-8000-000000000000/llm-usage")).status).toBe(404);
});
