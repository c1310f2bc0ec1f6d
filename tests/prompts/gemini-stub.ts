/**
 * A local Gemini API endpoint (generateContent, streamed as SSE) for driving Gemini CLI offline.
 * Requests with tools get `script(functionResponses)`; the others (its model router) get a routing answer.
 */
export type GeminiReply = { text: string } | { call: { name: string; args: Record<string, unknown> } };

export interface GeminiStub {
  url: string;
  requests: number;
  stop(): void;
}

interface Body {
  contents?: { parts?: { functionResponse?: unknown }[] }[];
  tools?: { functionDeclarations?: { name: string }[] }[];
}

export function startGeminiStub(script: (functionResponses: number) => GeminiReply): GeminiStub {
  const stub: GeminiStub = { url: "", requests: 0, stop: () => server.stop(true) };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method !== "POST") return Response.json({});
      if (url.pathname.endsWith(":countTokens")) return Response.json({ totalTokens: 10 });
      stub.requests++;
      const body = (await req.json()) as Body;
      const responses = (body.contents ?? []).flatMap((c) => c.parts ?? []).filter((p) => p.functionResponse).length;
      const hasTools = (body.tools ?? []).some((t) => t.functionDeclarations?.length);
      const reply: GeminiReply = hasTools
        ? script(responses)
        : { text: JSON.stringify({ reasoning: "simple", model_choice: "flash" }) };
      const part = "text" in reply ? { text: reply.text } : { functionCall: reply.call };
      const out = {
        candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      };
      if (url.searchParams.get("alt") === "sse")
        return new Response(`data: ${JSON.stringify(out)}\r\n\r\n`, {
          headers: { "content-type": "text/event-stream" },
        });
      return Response.json(out);
    },
  });
  stub.url = `http://127.0.0.1:${server.port}`;
  return stub;
}
