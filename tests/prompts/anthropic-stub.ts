/**
 * A local Anthropic Messages endpoint (SSE) for driving the real Claude Code offline. Each turn is
 * answered by `script(userText, toolResults)`: a tool call or a text reply.
 */
export type StubReply = { text: string } | { tool: { name: string; input: Record<string, unknown> } };

interface MessageParam {
  role: string;
  content: string | { type: string; text?: string; tool_use_id?: string; content?: unknown }[];
}

export interface AnthropicStub {
  url: string;
  requests: number;
  stop(): void;
}

function sse(event: string, data: unknown) {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function textOf(m: MessageParam | undefined): string {
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  return m.content.map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("\n");
}

export function startAnthropicStub(script: (lastUser: string, toolResults: number) => StubReply): AnthropicStub {
  let n = 0;
  const stub: AnthropicStub = { url: "", requests: 0, stop: () => server.stop(true) };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method !== "POST" || !url.pathname.endsWith("/messages")) {
        if (url.pathname.endsWith("/count_tokens")) return Response.json({ input_tokens: 10 });
        return Response.json({}, { status: 200 });
      }
      stub.requests++;
      const body = (await req.json()) as {
        messages: MessageParam[];
        stream?: boolean;
        model: string;
        tools?: unknown[];
      };
      const users = body.messages.filter((m) => m.role === "user");
      const toolResults = users.filter(
        (m) => Array.isArray(m.content) && m.content.some((b) => b.type === "tool_result"),
      ).length;
      const firstUser = users.map(textOf).find((t) => t.trim() && !t.includes("<system-reminder>")) ?? textOf(users[0]);
      // Side requests (titles, summaries) carry no tools: answer them with plain text.
      const reply: StubReply = body.tools?.length ? script(firstUser, toolResults) : { text: "Stub title" };
      const id = `msg_stub_${++n}`;
      const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
      const block =
        "text" in reply
          ? { type: "text", text: reply.text }
          : { type: "tool_use", id: `toolu_stub_${n}`, name: reply.tool.name, input: reply.tool.input };
      const stopReason = "text" in reply ? "end_turn" : "tool_use";
      if (!body.stream) {
        return Response.json({
          id,
          type: "message",
          role: "assistant",
          model: body.model,
          content: [block],
          stop_reason: stopReason,
          stop_sequence: null,
          usage,
        });
      }
      const events = [
        sse("message_start", {
          type: "message_start",
          message: {
            id,
            type: "message",
            role: "assistant",
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage,
          },
        }),
        "text" in reply
          ? sse("content_block_start", {
              type: "content_block_start",
              index: 0,
              content_block: { type: "text", text: "" },
            }) +
            sse("content_block_delta", {
              type: "content_block_delta",
              index: 0,
              delta: { type: "text_delta", text: reply.text },
            })
          : sse("content_block_start", {
              type: "content_block_start",
              index: 0,
              content_block: { type: "tool_use", id: block.id, name: reply.tool.name, input: {} },
            }) +
            sse("content_block_delta", {
              type: "content_block_delta",
              index: 0,
              delta: { type: "input_json_delta", partial_json: JSON.stringify(reply.tool.input) },
            }),
        sse("content_block_stop", { type: "content_block_stop", index: 0 }),
        sse("message_delta", {
          type: "message_delta",
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: { output_tokens: 5 },
        }),
        sse("message_stop", { type: "message_stop" }),
      ];
      return new Response(events.join(""), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    },
  });
  stub.url = `http://127.0.0.1:${server.port}`;
  return stub;
}
