import { expect, test } from "bun:test";
import { upstreamMessage, wireError } from "./errors";

test("an upstream error reaches each agent in its own envelope, with the status kept (5xx as Anthropic's 529)", async () => {
  const claude = wireError("anthropicMessages", 503, "busy");
  expect(claude.status).toBe(529);
  expect(await claude.json()).toEqual({ type: "error", error: { type: "overloaded_error", message: "busy" } });
  const limited = wireError("anthropicMessages", 429, "slow down", "30");
  expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "30"]);
  expect((await limited.json()).error.type).toBe("rate_limit_error");
  const openai = wireError("openaiResponses", 401, "bad key");
  expect([openai.status, await openai.json()]).toEqual([
    401,
    { error: { message: "bad key", type: "authentication_error", code: 401 } },
  ]);
  const gemini = wireError("geminiGenerate", 429, "quota");
  expect(await gemini.json()).toEqual({ error: { code: 429, message: "quota", status: "RESOURCE_EXHAUSTED" } });
});

test("the upstream's own message is read from any of the four envelopes, or its text", () => {
  expect(upstreamMessage('{"type":"error","error":{"type":"x","message":"from anthropic"}}')).toBe("from anthropic");
  expect(upstreamMessage('{"error":{"message":"from openai","type":"t"}}')).toBe("from openai");
  expect(upstreamMessage('{"error":"ollama says no"}')).toBe("ollama says no");
  expect(upstreamMessage("<html>Bad Gateway</html>")).toBe("<html>Bad Gateway</html>");
});
