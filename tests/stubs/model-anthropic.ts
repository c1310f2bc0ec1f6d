import { collectTexts, type ModelReply, type ModelScript, RequestLog, replyFor, serveStub, sse } from "./model-common";

/**
 * A local Anthropic Messages endpoint (POST /v1/messages, SSE when `stream`) for Claude Code via
 * ANTHROPIC_BASE_URL. Replies follow `script`, or `replyFor` applied to the last user turn.
 */
export interface AnthropicModelStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

type Message = { role: string; content: string | { type: string; text?: string }[] };
type Body = { model: string; stream?: boolean; messages: Message[]; system?: unknown; tools?: unknown[] };

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function userText(m: Message | undefined): string {
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  return m.content
    .filter((b) => b.type === "text" && !b.text?.startsWith("<system-reminder>"))
    .map((b) => b.text ?? "")
    .join("\n");
}

/** The turn's answer: the script's for turns with tools, a title for side requests, else `replyFor`. */
function answer(body: Body, script: ModelScript | undefined): ModelReply {
  const users = body.messages.filter((m) => m.role === "user");
  const lastUser = userText(users.at(-1));
  if (!script) return { text: replyFor(lastUser) };
  if (!body.tools?.length) return { text: "Stub title" };
  const toolResults = users.filter(
    (m) => Array.isArray(m.content) && m.content.some((b) => b.type === "tool_result"),
  ).length;
  return script({ lastUser, toolResults });
}

/** Answers a request itself instead of the stub (a usage limit for one account): null lets the stub answer. */
export type Intercept = (req: { bearer?: string; body: Body }) => Response | null | Promise<Response | null>;

export function startAnthropicModel(script?: ModelScript, intercept?: Intercept): AnthropicModelStub {
  const log = new RequestLog();
  let n = 0;
  const server = serveStub(async (req, url) => {
    if (url.pathname.endsWith("/count_tokens")) return Response.json({ input_tokens: 10 });
    if (req.method !== "POST" || !url.pathname.endsWith("/messages")) return Response.json({});
    const body = (await req.json()) as Body;
    const bearer = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") || undefined;
    log.add({ path: url.pathname, body, texts: collectTexts([body.system, body.messages]), bearer });
    const own = await intercept?.({ bearer, body });
    if (own) return own;
    const reply = answer(body, script);
    const id = `msg_stub_${++n}`;
    const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const message = { id, type: "message", role: "assistant", model: body.model, stop_sequence: null, usage };
    const stopReason = "text" in reply ? "end_turn" : "tool_use";
    const block =
      "text" in reply
        ? { type: "text", text: reply.text }
        : { type: "tool_use", id: `toolu_stub_${n}`, name: reply.tool.name, input: reply.tool.input };
    if (!body.stream) return Response.json({ ...message, content: [block], stop_reason: stopReason });
    return sse([
      event("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null } }),
      event("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: "text" in reply ? { type: "text", text: "" } : { ...block, input: {} },
      }),
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta:
          "text" in reply
            ? { type: "text_delta", text: reply.text }
            : { type: "input_json_delta", partial_json: JSON.stringify(reply.tool.input) },
      }),
      event("content_block_stop", { type: "content_block_stop", index: 0 }),
      event("message_delta", {
        type: "message_delta",
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: 5 },
      }),
      event("message_stop", { type: "message_stop" }),
    ]);
  });
  return { url: server.url, log, stop: server.stop };
}
