import { collectTexts, RequestLog, replyFor, sse } from "./model-common";

/**
 * A local OpenAI-compatible endpoint: POST /v1/chat/completions (SSE when `stream`) for OpenCode and
 * Qwen Code, POST /v1/responses (SSE) for Codex, GET /v1/models. Replies follow `replyFor`.
 */
export interface OpenAIModelStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

const data = (d: unknown) => `data: ${JSON.stringify(d)}\n\n`;
const event = (name: string, d: unknown) => `event: ${name}\ndata: ${JSON.stringify(d)}\n\n`;

type ChatMessage = { role: string; content: unknown };
type ResponsesItem = { type?: string; role?: string; content?: unknown };

const textOf = (content: unknown) => collectTexts(content).join("\n");

function chat(body: { model: string; stream?: boolean; messages: ChatMessage[] }, n: number) {
  const text = replyFor(textOf(body.messages.filter((m) => m.role === "user").at(-1)?.content));
  const id = `chatcmpl-stub-${n}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  if (!body.stream) {
    return Response.json({
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage,
    });
  }
  const chunk = (delta: unknown, finish: string | null, extra = {}) =>
    data({
      id,
      object: "chat.completion.chunk",
      created,
      model: body.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    });
  return sse([
    chunk({ role: "assistant", content: "" }, null),
    chunk({ content: text }, null),
    chunk({}, "stop"),
    data({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage }),
    "data: [DONE]\n\n",
  ]);
}

function responses(body: { model: string; input: string | ResponsesItem[] }, n: number) {
  const items = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  const text = replyFor(textOf(items.filter((i) => i.role === "user").at(-1)?.content));
  const id = `resp_stub_${n}`;
  const msgId = `msg_stub_${n}`;
  const created_at = Math.floor(Date.now() / 1000);
  const base = { id, object: "response", created_at, model: body.model, output: [] as unknown[] };
  const item = {
    id: msgId,
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [] }],
  };
  const usage = {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  };
  let seq = 0;
  const ev = (type: string, d: Record<string, unknown>) => event(type, { type, sequence_number: seq++, ...d });
  return sse([
    ev("response.created", { response: { ...base, status: "in_progress" } }),
    ev("response.in_progress", { response: { ...base, status: "in_progress" } }),
    ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }),
    ev("response.content_part.added", {
      item_id: msgId,
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    }),
    ev("response.output_text.delta", { item_id: msgId, output_index: 0, content_index: 0, delta: text }),
    ev("response.output_text.done", { item_id: msgId, output_index: 0, content_index: 0, text }),
    ev("response.content_part.done", { item_id: msgId, output_index: 0, content_index: 0, part: item.content[0] }),
    ev("response.output_item.done", { output_index: 0, item }),
    ev("response.completed", { response: { ...base, status: "completed", output: [item], usage } }),
  ]);
}

export function startOpenAIModel(models = ["stub-model"]): OpenAIModelStub {
  const log = new RequestLog();
  let n = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname.endsWith("/models")) {
        return Response.json({
          object: "list",
          data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "stub" })),
        });
      }
      if (req.method !== "POST") return Response.json({ error: { message: "not found" } }, { status: 404 });
      const body = (await req.json()) as Record<string, unknown>;
      const texts = collectTexts([body.messages, body.input, body.instructions]);
      log.add({ path: url.pathname, body, texts });
      if (url.pathname.endsWith("/chat/completions")) return chat(body as Parameters<typeof chat>[0], ++n);
      if (url.pathname.endsWith("/responses")) return responses(body as Parameters<typeof responses>[0], ++n);
      return Response.json({ error: { message: `no stub for ${url.pathname}` } }, { status: 404 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}/v1`, log, stop: () => server.stop(true) };
}
