import { collectTexts, RequestLog, replyFor, sse } from "./model-common";

/**
 * A local Gemini API endpoint (POST /v1beta/models/{model}:streamGenerateContent?alt=sse,
 * :generateContent, :countTokens) for Gemini CLI via GOOGLE_GEMINI_BASE_URL. Replies follow `replyFor`;
 * a request for JSON output gets an empty object.
 */
export interface GeminiModelStub {
  url: string;
  log: RequestLog;
  stop(): void;
}

type Content = { role?: string; parts?: { text?: string }[] };

export function startGeminiModel(): GeminiModelStub {
  const log = new RequestLog();
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const method = url.pathname.split(":").at(-1);
      if (req.method !== "POST") return Response.json({ error: { code: 404, message: "not found" } }, { status: 404 });
      const body = (await req.json()) as {
        contents?: Content[];
        systemInstruction?: unknown;
        generationConfig?: { responseMimeType?: string };
      };
      log.add({ path: url.pathname, body, texts: collectTexts([body.systemInstruction, body.contents]) });
      if (method === "countTokens") return Response.json({ totalTokens: 10 });
      const lastUser = body.contents?.filter((c) => c.role === "user").at(-1);
      const json = body.generationConfig?.responseMimeType === "application/json";
      const text = json ? "{}" : replyFor(collectTexts(lastUser?.parts ?? []).join("\n"));
      const chunk = {
        candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
        modelVersion: "stub",
      };
      if (method === "streamGenerateContent") return sse([`data: ${JSON.stringify(chunk)}\r\n\r\n`]);
      return Response.json(chunk);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, log, stop: () => server.stop(true) };
}
