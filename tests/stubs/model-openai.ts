import { collectTexts, type ModelReply, type ModelScript, RequestLog, replyFor, serveStub, sse } from "./model-common";

/**
 * A local OpenAI-compatible endpoint: POST /v1/chat/completions (SSE when `stream`) for OpenCode and
 * Qwen Code, POST /v1/responses (SSE) for Codex, GET /v1/models. Replies follow `script`, else `replyFor`.
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
type ChatBody = { model: string; stream?: boolean; messages: ChatMessage[]; tools?: unknown[] };
type ResponsesBody = { model: string; input: string | ResponsesItem[]; tools?: unknown[] };

const textOf = (content: unknown) => collectTexts(content).join("\n");

/** The script's answer for turns with tools, "ok" for side requests; without a script, `replyFor`. */
function answer(script: ModelScript | undefined, lastUser: unknown, toolResults: number, tools?: unknown[]) {
  const text = textOf(lastUser);
  if (!script) return { text: replyFor(text) };
  return tools?.length ? script({ lastUser: text, toolResults }) : { text: "ok" };
}

function chat(body: ChatBody, n: number, script?: ModelScript) {
  const toolResults = body.messages.filter((m) => m.role === "tool").length;
  const reply = answer(script, body.messages.filter((m) => m.role === "user").at(-1)?.content, toolResults, body.tools);
  const id = `chatcmpl-stub-${n}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  const call = (tool: Extract<ModelReply, { tool: unknown }>["tool"]) => ({
    id: `call_stub_${n}`,
    type: "function",
    function: { name: tool.name, arguments: JSON.stringify(tool.input) },
  });
  const finish = "text" in reply ? "stop" : "tool_calls";
  if (!body.stream) {
    const message =
      "text" in reply
        ? { role: "assistant", content: reply.text }
        : { role: "assistant", content: null, tool_calls: [call(reply.tool)] };
    return Response.json({
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: [{ index: 0, message, finish_reason: finish }],
      usage,
    });
  }
  const chunk = (delta: unknown, finishReason: string | null) =>
    data({
      id,
      object: "chat.completion.chunk",
      created,
      model: body.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  return sse([
    "text" in reply
      ? chunk({ role: "assistant", content: "" }, null) + chunk({ content: reply.text }, null)
      : chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, ...call(reply.tool) }] }, null),
    chunk({}, finish),
    data({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage }),
    "data: [DONE]\n\n",
  ]);
}

function responses(body: ResponsesBody, n: number, script?: ModelScript) {
  const items = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  const toolResults = items.filter((i) => i.type === "function_call_output").length;
  const reply = answer(script, items.filter((i) => i.role === "user").at(-1)?.content, toolResults, body.tools);
  const id = `resp_stub_${n}`;
  const msgId = `msg_stub_${n}`;
  const created_at = Math.floor(Date.now() / 1000);
  const base = { id, object: "response", created_at, model: body.model, output: [] as unknown[] };
  const usage = {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  };
  let seq = 0;
  const ev = (type: string, d: Record<string, unknown>) => event(type, { type, sequence_number: seq++, ...d });
  if ("tool" in reply) {
    const item = {
      type: "function_call",
      id: `fc_stub_${n}`,
      call_id: `call_stub_${n}`,
      name: reply.tool.name,
      arguments: JSON.stringify(reply.tool.input),
      status: "completed",
    };
    return sse([
      ev("response.created", { response: { ...base, status: "in_progress" } }),
      ev("response.output_item.added", { output_index: 0, item }),
      ev("response.output_item.done", { output_index: 0, item }),
      ev("response.completed", { response: { ...base, status: "completed", output: [item], usage } }),
    ]);
  }
  const text = reply.text;
  const item = {
    id: msgId,
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [] }],
  };
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

export function startOpenAIModel(script?: ModelScript, models = ["stub-model"]): OpenAIModelStub {
  const log = new RequestLog();
  let n = 0;
  const server = serveStub(async (req, url) => {
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
    if (url.pathname.endsWith("/chat/completions")) return chat(body as ChatBody, ++n, script);
    if (url.pathname.endsWith("/responses")) return responses(body as ResponsesBody, ++n, script);
    return Response.json({ error: { message: `no stub for ${url.pathname}` } }, { status: 404 });
  });
  return { url: `${server.url}/v1`, log, stop: server.stop };
}
