// The model gateway's cost against calling the upstream directly, same run:
//  - time to first byte added (Anthropic passthrough), p50/p99;
//  - per-event cost of a translated stream (OpenAI Chat chunks → Anthropic events), 10 000 events;
//  - 20 concurrent translated streams, each in its own session, without errors.
//   bun bench/llm-gateway.ts
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatToAnthropicStream } from "../src/llm/translate/anthropic-chat";
import { benchServer, fmt, percentile, type TestServer } from "./common";

const TTFB_SAMPLES = 400;
const EVENTS = 10_000;
const STREAM_RUNS = 15;
const CONCURRENT = 20;
const enc = new TextEncoder();

// Upstreams in this process: an Anthropic stream that starts at once, and a chat stream of `max_tokens` chunks.
const anthropic = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(enc.encode('event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\n'));
          c.enqueue(enc.encode('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
          c.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    ),
});
const chunk = (i: number) =>
  `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tok${i} "},"finish_reason":null}]}\n\n`;
const chat = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(req) {
    const body = (await req.json()) as { max_tokens?: number };
    const n = body.max_tokens ?? 10;
    let text = "";
    for (let i = 0; i < n; i++) text += chunk(i);
    text +=
      'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}\n\ndata: [DONE]\n\n';
    return new Response(text, { headers: { "content-type": "text/event-stream" } });
  },
});

const server: TestServer = await benchServer();
const provider = async (json: Record<string, unknown>) =>
  (await server.api("/api/llm-providers", { method: "POST", json })).body.id as string;
const passId = await provider({
  name: "bench-anthropic",
  kind: "anthropic",
  baseUrl: `http://127.0.0.1:${anthropic.port}`,
});
const chatId = await provider({ name: "bench-chat", baseUrl: `http://127.0.0.1:${chat.port}/v1` });

// Routed sessions in an empty HOME (no profile of the user's runs); the token is in their env.
const emptyHome = mkdtempSync(join(tmpdir(), "bench-llm-home-"));
async function routedSession(llmProviderId: string, sessionType = "terminal") {
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: {
      cwd: "/tmp",
      sessionType,
      llmProviderId,
      model: "bench-model",
      envOverrides: { HOME: emptyHome },
    },
  });
  if (r.status !== 201) throw new Error(`session: ${JSON.stringify(r.body)}`);
  const environ = readFileSync(`/proc/${r.body.pid}/environ`, "utf8").split("\0");
  const token = environ.find((kv) => kv.startsWith("ANTHROPIC_AUTH_TOKEN="))?.slice(21) ?? "";
  return { id: r.body.id as string, token };
}

const message = (maxTokens: number) =>
  JSON.stringify({ model: "x", max_tokens: maxTokens, stream: true, messages: [{ role: "user", content: "hi" }] });

/** ms to the first body byte, and to the end. */
async function timed(url: string, headers: Record<string, string>, body: string) {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  const ttfb = performance.now() - t0;
  let bytes = first.value?.length ?? 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return { ttfb, total: performance.now() - t0, status: res.status, bytes };
}

// A terminal speaks OpenAI Chat; Claude Code (left at its first-run screen, it sends nothing) holds the Anthropic route.
const pass = await routedSession(passId, "claude");
const gatewayPass = `${server.url}/llm/s/${pass.id}/anthropic/v1/messages`;
const directPass = `http://127.0.0.1:${anthropic.port}/v1/messages`;
const direct: number[] = [];
const via: number[] = [];
for (let i = 0; i < 50; i++) {
  await timed(directPass, {}, message(1));
  await timed(gatewayPass, { authorization: `Bearer ${pass.token}` }, message(1));
}
for (let i = 0; i < TTFB_SAMPLES; i++) {
  direct.push((await timed(directPass, {}, message(1))).ttfb);
  via.push((await timed(gatewayPass, { authorization: `Bearer ${pass.token}` }, message(1))).ttfb);
}
const added50 = percentile(via, 50) - percentile(direct, 50);
const added99 = percentile(via, 99) - percentile(direct, 99);
console.log(
  `passthrough TTFB: direct p50 ${fmt(percentile(direct, 50))} ms p99 ${fmt(percentile(direct, 99))} ms; ` +
    `gateway p50 ${fmt(percentile(via, 50))} ms p99 ${fmt(percentile(via, 99))} ms; ` +
    `added p50 ${fmt(added50, 3)} ms (≤ 1), p99 ${fmt(added99, 3)} ms (≤ 5)`,
);

// Translation inside the server: the same 10 000-event chat stream, read directly (as chat) and through the gateway (as Anthropic events).
const tr = await routedSession(chatId);
const gatewayChat = `${server.url}/llm/s/${tr.id}/anthropic/v1/messages`;
const directChat = `http://127.0.0.1:${chat.port}/v1/chat/completions`;
await timed(gatewayChat, { "x-api-key": tr.token }, message(EVENTS));
const perEvent: number[] = [];
for (let i = 0; i < STREAM_RUNS; i++) {
  const d = await timed(directChat, {}, message(EVENTS));
  const g = await timed(gatewayChat, { "x-api-key": tr.token }, message(EVENTS));
  if (g.status !== 200) throw new Error(`translated stream failed: ${g.status}`);
  perEvent.push((g.total - d.total) / EVENTS);
}
console.log(
  `translated stream (${EVENTS} chat chunks → Anthropic events): added per event p50 ${fmt(percentile(perEvent, 50), 4)} ms (≤ 0.1), max ${fmt(Math.max(...perEvent), 4)} ms`,
);

// The translator alone, in process.
{
  const events = Array.from({ length: EVENTS }, (_, i) => ({ event: "", data: chunk(i).slice(6, -2) }));
  const runs: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = new ChatToAnthropicStream("m");
    const t0 = performance.now();
    for (const e of events) t.push(e);
    t.end();
    runs.push((performance.now() - t0) / EVENTS);
  }
  console.log(`translator alone: p50 ${fmt(percentile(runs, 50) * 1000, 2)} µs per event`);
}

// 20 sessions streaming at once.
const sessions = await Promise.all(Array.from({ length: CONCURRENT }, () => routedSession(chatId)));
const t0 = performance.now();
const results = await Promise.allSettled(
  sessions.map((s) =>
    timed(`${server.url}/llm/s/${s.id}/anthropic/v1/messages`, { "x-api-key": s.token }, message(1000)),
  ),
);
const failed = results.filter((r) => r.status === "rejected" || r.value.status !== 200 || r.value.bytes < 1000).length;
console.log(
  `${CONCURRENT} concurrent translated streams of 1000 chunks: ${CONCURRENT - failed} ok, ${failed} failed, ${fmt(performance.now() - t0, 0)} ms in all`,
);

await server.stop();
anthropic.stop(true);
chat.stop(true);
process.exit(failed || added50 > 1 || added99 > 5 || percentile(perEvent, 50) > 0.1 ? 1 : 0);
