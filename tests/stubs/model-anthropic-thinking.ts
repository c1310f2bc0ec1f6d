import { collectTexts, RequestLog, replyFor, serveStub } from "./model-common";

/**
 * A local Anthropic Messages endpoint whose replies open with a signed thinking block, as Anthropic's
 * do. It keeps the exact bytes it sent and received, so a test can check that a gateway forwarded
 * both untouched (a thinking block's signature must come back byte for byte), and the headers it got.
 */
export interface ThinkingStub {
  url: string;
  log: RequestLog;
  /** Raw request bodies and headers, in order. */
  received: { path: string; raw: string; headers: Record<string, string> }[];
  /** Raw response bodies, in order (same index as `received` for /v1/messages). */
  sent: string[];
  signatures: string[];
  /** Answer the next n message requests with this status (a busy endpoint). */
  failNext(n: number, status: number, retryAfter?: string): void;
  stop(): void;
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

type Message = { role: string; content: string | { type: string; text?: string }[] };
const lastUserText = (messages: Message[]) => {
  const m = messages.filter((x) => x.role === "user").at(-1);
  if (!m) return "";
  if (typeof m.content === "string") return m.content;
  return m.content
    .filter((b) => b.type === "text" && !b.text?.startsWith("<system-reminder>"))
    .map((b) => b.text ?? "")
    .join("\n");
};

export function startThinkingAnthropic(): ThinkingStub {
  const log = new RequestLog();
  let n = 0;
  let failing = { n: 0, status: 0, retryAfter: undefined as string | undefined };
  const stub: ThinkingStub = {
    url: "",
    log,
    received: [],
    sent: [],
    signatures: [],
    failNext: (count, status, retryAfter) => {
      failing = { n: count, status, retryAfter };
    },
    stop: () => server.stop(),
  };
  const server = serveStub(async (req, url) => {
    if (url.pathname.endsWith("/count_tokens")) return Response.json({ input_tokens: 42 });
    if (req.method !== "POST" || !url.pathname.endsWith("/v1/messages")) return Response.json({});
    const raw = await req.text();
    const headers = Object.fromEntries(req.headers.entries());
    stub.received.push({ path: `${url.pathname}${url.search}`, raw, headers });
    if (failing.n > 0) {
      failing.n--;
      stub.sent.push("");
      return Response.json(
        { type: "error", error: { type: "rate_limit_error", message: "stub is busy" } },
        { status: failing.status, headers: failing.retryAfter ? { "retry-after": failing.retryAfter } : {} },
      );
    }
    const body = JSON.parse(raw) as { model: string; stream?: boolean; messages: Message[]; system?: unknown };
    log.add({ path: url.pathname, body, texts: collectTexts([body.system, body.messages]) });
    const text = replyFor(lastUserText(body.messages));
    const k = ++n;
    // Signatures are opaque base64 with + and / (a re-encoding proxy would be caught).
    const signature = `EqQBCkYIBxgCKkB+sig/${k}/${crypto.randomUUID()}+/==`;
    stub.signatures.push(signature);
    const message = {
      id: `msg_think_${k}`,
      type: "message",
      role: "assistant",
      model: body.model,
      stop_sequence: null,
      usage: { input_tokens: 20 + k, output_tokens: 7 },
    };
    const thinking = `Thinking about "${text}" — ünïcödé ✓`;
    if (!body.stream) {
      const out = JSON.stringify({
        ...message,
        content: [
          { type: "thinking", thinking, signature },
          { type: "text", text },
        ],
        stop_reason: "end_turn",
      });
      stub.sent.push(out);
      return new Response(out, { headers: { "content-type": "application/json" } });
    }
    const out = [
      event("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null } }),
      event("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "", signature: "" },
      }),
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking },
      }),
      event("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature },
      }),
      event("content_block_stop", { type: "content_block_stop", index: 0 }),
      event("content_block_start", {
        type: "content_block_start",
        index: 1,
        content_block: { type: "text", text: "" },
      }),
      event("content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "text_delta", text } }),
      event("content_block_stop", { type: "content_block_stop", index: 1 }),
      event("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 7 },
      }),
      event("message_stop", { type: "message_stop" }),
    ].join("");
    stub.sent.push(out);
    // Sent in small pieces, as a real stream arrives.
    const bytes = new TextEncoder().encode(out);
    return new Response(
      new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 97) c.enqueue(bytes.slice(i, i + 97));
          c.close();
        },
      }),
      { headers: { "content-type": "text/event-stream", "request-id": `req_${k}` } },
    );
  });
  stub.url = server.url;
  return stub;
}
