import { collectTexts, RequestLog, serveStub } from "./model-common";

/**
 * A local endpoint that speaks only OpenAI Chat Completions (everything else 404s, as a probe sees),
 * streaming tool calls the way real servers do: the call's id and name first, its arguments split
 * over several chunks — or, with `argsInFinalChunk`, none until the chunk that carries finish_reason.
 * Each turn is answered by `script`.
 */
export type ChatReply = { text: string } | { tool: { name: string; args: Record<string, unknown> } };

export interface ChatToolsStub {
  url: string;
  log: RequestLog;
  bodies: Record<string, unknown>[];
  stop(): void;
}

type Msg = { role: string; content?: unknown; tool_call_id?: string };

export function startChatToolsStub(
  script: (turn: { toolResults: number; messages: Msg[]; toolNames: string[] }) => ChatReply,
  opts: { argsInFinalChunk?: boolean } = {},
): ChatToolsStub {
  const log = new RequestLog();
  const bodies: Record<string, unknown>[] = [];
  let n = 0;
  const server = serveStub(async (req, { pathname: path }) => {
    if (req.method === "GET" && path === "/v1/models")
      return Response.json({ object: "list", data: [{ id: "chat-model", object: "model" }] });
    if (req.method !== "POST" || path !== "/v1/chat/completions")
      return Response.json({ error: { message: `no ${path} here` } }, { status: 404 });
    const body = (await req.json()) as { model: string; stream?: boolean; messages: Msg[]; tools?: unknown[] };
    bodies.push(body);
    log.add({ path, body, texts: collectTexts(body.messages) });
    const k = ++n;
    const toolResults = body.messages.filter((m) => m.role === "tool").length;
    const reply: ChatReply = body.tools?.length
      ? script({
          toolResults,
          messages: body.messages,
          toolNames: (body.tools as { function?: { name?: string } }[]).map((t) => t.function?.name ?? ""),
        })
      : { text: "Stub title" };
    const base = { id: `chatcmpl-${k}`, object: "chat.completion.chunk", created: 1, model: body.model };
    const usage = { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 };
    if (!body.stream) {
      const message =
        "text" in reply
          ? { role: "assistant", content: reply.text }
          : {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: `call_${k}`,
                  type: "function",
                  function: { name: reply.tool.name, arguments: JSON.stringify(reply.tool.args) },
                },
              ],
            };
      return Response.json({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message, finish_reason: "text" in reply ? "stop" : "tool_calls" }],
        usage,
      });
    }
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const out: string[] = [chunk({ role: "assistant", content: "" })];
    if ("text" in reply) {
      const half = Math.ceil(reply.text.length / 2);
      out.push(
        chunk({ content: reply.text.slice(0, half) }),
        chunk({ content: reply.text.slice(half) }),
        chunk({}, "stop"),
      );
    } else {
      const args = JSON.stringify(reply.tool.args);
      out.push(chunk({ content: "I'll do that." }));
      out.push(
        chunk({
          tool_calls: [
            { index: 0, id: `call_${k}`, type: "function", function: { name: reply.tool.name, arguments: "" } },
          ],
        }),
      );
      if (opts.argsInFinalChunk) {
        out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }, "tool_calls"));
      } else {
        const third = Math.ceil(args.length / 3);
        for (let i = 0; i < args.length; i += third)
          out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + third) } }] }));
        out.push(chunk({}, "tool_calls"));
      }
    }
    out.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`, "data: [DONE]\n\n");
    return new Response(out.join(""), { headers: { "content-type": "text/event-stream" } });
  });
  return { url: `${server.url}/v1`, log, bodies, stop: server.stop };
}
