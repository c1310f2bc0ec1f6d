import { collectTexts, RequestLog, replyFor, sse } from "./model-common";

/**
 * A local Anthropic Messages endpoint (POST /v1/messages, SSE when `stream`) for Claude Code via
 * ANTHROPIC_BASE_URL. Replies follow `replyFor` applied to the last user turn.
 */
export interface AnthropicModelStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

type Message = { role: string; content: string | { type: string; text?: string }[] };

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function userText(m: Message | undefined): string {
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  return m.content
    .filter((b) => b.type === "text" && !b.text?.startsWith("<system-reminder>"))
    .map((b) => b.text ?? "")
    .join("\n");
}

export function startAnthropicModel(): AnthropicModelStub {
  const log = new RequestLog();
  let n = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname.endsWith("/count_tokens")) return Response.json({ input_tokens: 10 });
      if (req.method !== "POST" || !url.pathname.endsWith("/v1/messages")) return Response.json({});
      const body = (await req.json()) as { model: string; stream?: boolean; messages: Message[]; system?: unknown };
      log.add({ path: url.pathname, body, texts: collectTexts([body.system, body.messages]) });
      const lastUser = body.messages.filter((m) => m.role === "user").at(-1);
      const text = replyFor(userText(lastUser));
      const id = `msg_stub_${++n}`;
      const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      const message = { id, type: "message", role: "assistant", model: body.model, stop_sequence: null, usage };
      if (!body.stream)
        return Response.json({ ...message, content: [{ type: "text", text }], stop_reason: "end_turn" });
      return sse([
        event("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null } }),
        event("content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: { type: "text", text: "" },
        }),
        event("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
        event("content_block_stop", { type: "content_block_stop", index: 0 }),
        event("message_delta", {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 5 },
        }),
        event("message_stop", { type: "message_stop" }),
      ]);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, log, stop: () => server.stop(true) };
}
