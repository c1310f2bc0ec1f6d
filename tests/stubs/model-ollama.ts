import { RequestLog, serveStub } from "./model-common";

/**
 * A local Ollama: GET /api/tags, POST /api/show (context length, capabilities), GET /v1/models and
 * POST /v1/chat/completions. It speaks neither Anthropic Messages nor Responses (404), as a probe sees.
 */
export interface OllamaStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

const MODELS: Record<string, { arch: string; ctx: number; caps: string[] }> = {
  "qwen3:8b": { arch: "qwen3", ctx: 40960, caps: ["completion", "tools"] },
  "llava:7b": { arch: "llama", ctx: 4096, caps: ["completion", "vision"] },
};

export function startOllama(): OllamaStub {
  const log = new RequestLog();
  const server = serveStub(async (req, { pathname: path }) => {
    const body = req.method === "POST" ? await req.json().catch(() => ({})) : null;
    log.add({ path: `${req.method} ${path}`, body, texts: [] });
    if (path === "/api/tags")
      return Response.json({ models: Object.keys(MODELS).map((name) => ({ name, model: name, size: 1 })) });
    if (path === "/api/show") {
      const m = MODELS[(body as { model: string }).model];
      if (!m) return Response.json({ error: "model not found" }, { status: 404 });
      return Response.json({ model_info: { [`${m.arch}.context_length`]: m.ctx }, capabilities: m.caps });
    }
    if (path === "/v1/models")
      return Response.json({ object: "list", data: Object.keys(MODELS).map((id) => ({ id, object: "model" })) });
    if (path === "/v1/chat/completions")
      return Response.json({
        id: "chatcmpl-1",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      });
    return new Response("404 page not found", { status: 404 });
  });
  return { url: server.url, log, stop: server.stop };
}
