/**
 * A local OpenAI-compatible endpoint (chat completions and responses, streamed) for driving Qwen Code
 * and Codex offline. Each turn answers `script(toolResults)`: a tool call or a text reply.
 */
export type OpenAIReply = { text: string } | { tool: { name: string; args: Record<string, unknown> } };

export interface OpenAIStub {
  url: string;
  requests: number;
  paths: string[];
  stop(): void;
}

const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

export function startOpenAIStub(script: (toolResults: number) => OpenAIReply): OpenAIStub {
  let n = 0;
  const stub: OpenAIStub = { url: "", requests: 0, paths: [], stop: () => server.stop(true) };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      stub.paths.push(`${req.method} ${path}`);
      if (req.method !== "POST")
        return Response.json({ object: "list", data: [{ id: "stub-model", object: "model" }] });
      const body = (await req.json()) as {
        messages?: { role: string }[];
        input?: { type?: string; role?: string }[];
        tools?: unknown[];
        stream?: boolean;
        model: string;
      };
      stub.requests++;
      const id = `stub_${++n}`;
      if (path.endsWith("/responses")) {
        const results = (body.input ?? []).filter((i) => i.type === "function_call_output").length;
        const reply = body.tools?.length ? script(results) : { text: "ok" };
        const item =
          "text" in reply
            ? {
                type: "message",
                id: `msg_${id}`,
                role: "assistant",
                status: "completed",
                content: [{ type: "output_text", text: reply.text, annotations: [] }],
              }
            : {
                type: "function_call",
                id: `fc_${id}`,
                call_id: `call_${id}`,
                name: reply.tool.name,
                arguments: JSON.stringify(reply.tool.args),
                status: "completed",
              };
        const response = {
          id: `resp_${id}`,
          object: "response",
          model: body.model,
          status: "completed",
          output: [item],
          usage: {
            input_tokens: 10,
            output_tokens: 5,
            total_tokens: 15,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens_details: { reasoning_tokens: 0 },
          },
        };
        const events = [
          { type: "response.created", response: { ...response, status: "in_progress", output: [] } },
          { type: "response.output_item.added", output_index: 0, item },
          { type: "response.output_item.done", output_index: 0, item },
          { type: "response.completed", response },
        ];
        return new Response(events.map((e) => `event: ${e.type}\n${sse(e)}`).join(""), {
          headers: { "content-type": "text/event-stream" },
        });
      }
      const results = (body.messages ?? []).filter((m) => m.role === "tool").length;
      const reply = body.tools?.length ? script(results) : { text: "ok" };
      const delta =
        "text" in reply
          ? { role: "assistant", content: reply.text }
          : {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  index: 0,
                  id: `call_${id}`,
                  type: "function",
                  function: { name: reply.tool.name, arguments: JSON.stringify(reply.tool.args) },
                },
              ],
            };
      const finish = "text" in reply ? "stop" : "tool_calls";
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      if (!body.stream) {
        const message = {
          ...delta,
          tool_calls: "tool" in reply ? delta.tool_calls?.map(({ index: _i, ...t }) => t) : undefined,
        };
        return Response.json({
          id,
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        });
      }
      const chunk = (d: unknown, f: string | null) => ({
        id,
        object: "chat.completion.chunk",
        created: 0,
        model: body.model,
        choices: [{ index: 0, delta: d, finish_reason: f }],
      });
      const out = `${sse(chunk(delta, null))}${sse(chunk({}, finish))}${sse({ ...chunk({}, null), choices: [], usage })}data: [DONE]\n\n`;
      return new Response(out, { headers: { "content-type": "text/event-stream" } });
    },
  });
  stub.url = `http://127.0.0.1:${server.port}`;
  return stub;
}
