import { collectTexts, type ModelReply, type ModelScript, RequestLog, replyFor, serveStub } from "./model-common";

/**
 * A local Gemini API endpoint (POST /v1beta/models/{model}:streamGenerateContent?alt=sse,
 * :generateContent, :countTokens) for Gemini CLI via GOOGLE_GEMINI_BASE_URL. Replies follow `script`
 * (its model router, asking without tools, gets a routing answer), else `replyFor`, where a request
 * for JSON output gets an empty object.
 */
export interface GeminiModelStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

type Content = { role?: string; parts?: { text?: string; functionResponse?: unknown }[] };
type Body = {
  contents?: Content[];
  systemInstruction?: unknown;
  tools?: { functionDeclarations?: { name: string }[] }[];
  generationConfig?: { responseMimeType?: string };
};

const ROUTE = JSON.stringify({ reasoning: "simple", model_choice: "flash" });

function answer(body: Body, script: ModelScript | undefined): ModelReply {
  const lastUser = collectTexts(body.contents?.filter((c) => c.role === "user").at(-1)?.parts ?? []).join("\n");
  if (!script)
    return { text: body.generationConfig?.responseMimeType === "application/json" ? "{}" : replyFor(lastUser) };
  if (!(body.tools ?? []).some((t) => t.functionDeclarations?.length)) return { text: ROUTE };
  const toolResults = (body.contents ?? []).flatMap((c) => c.parts ?? []).filter((p) => p.functionResponse).length;
  return script({ lastUser, toolResults });
}

export function startGeminiModel(script?: ModelScript): GeminiModelStub {
  const log = new RequestLog();
  const server = serveStub(async (req, url) => {
    const method = url.pathname.split(":").at(-1);
    if (req.method !== "POST") return Response.json({ error: { code: 404, message: "not found" } }, { status: 404 });
    const body = (await req.json()) as Body;
    log.add({ path: url.pathname, body, texts: collectTexts([body.systemInstruction, body.contents]) });
    if (method === "countTokens") return Response.json({ totalTokens: 10 });
    const reply = answer(body, script);
    const part =
      "text" in reply ? { text: reply.text } : { functionCall: { name: reply.tool.name, args: reply.tool.input } };
    const chunk = {
      candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: "stub",
    };
    if (method === "streamGenerateContent")
      return new Response(`data: ${JSON.stringify(chunk)}\r\n\r\n`, {
        headers: { "content-type": "text/event-stream" },
      });
    return Response.json(chunk);
  });
  return { url: server.url, log, stop: server.stop };
}
