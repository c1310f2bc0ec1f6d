import { SseParser, tryJson } from "./sse";

export interface Usage {
  input: number;
  output: number;
}

/** Token counts in any of the four wires' shapes (the largest seen wins: they are running totals). */
export function readUsage(j: Record<string, unknown>, into: Usage) {
  const sources = [
    j.usage,
    (j.message as Record<string, unknown> | undefined)?.usage,
    (j.response as Record<string, unknown> | undefined)?.usage,
  ];
  for (const u of sources as (Record<string, number> | undefined)[]) {
    if (!u || typeof u !== "object") continue;
    into.input = Math.max(into.input, u.input_tokens ?? u.prompt_tokens ?? 0);
    into.output = Math.max(into.output, u.output_tokens ?? u.completion_tokens ?? 0);
  }
  const g = j.usageMetadata as Record<string, number> | undefined;
  if (g) {
    into.input = Math.max(into.input, g.promptTokenCount ?? 0);
    into.output = Math.max(into.output, g.candidatesTokenCount ?? 0);
  }
}

/** Passes every byte through unchanged and reports the usage the stream carried when it ends. */
export function usageTap(sse: boolean, done: (u: Usage) => void): TransformStream<Uint8Array, Uint8Array> {
  const usage: Usage = { input: 0, output: 0 };
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let whole = "";
  const read = (text: string) => {
    if (!sse) {
      if (whole.length < 4_000_000) whole += text;
      return;
    }
    for (const ev of parser.push(text)) {
      // Only events that can carry usage are parsed.
      if (!ev.data.includes("sage")) continue;
      const j = tryJson(ev.data);
      if (j) readUsage(j, usage);
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      read(decoder.decode(chunk, { stream: true }));
    },
    flush() {
      read(decoder.decode());
      if (!sse) {
        const j = tryJson(whole);
        if (j) readUsage(j, usage);
      }
      done(usage);
    },
  });
}

/** Runs a translator over an upstream SSE body: events in, the agent's bytes out. */
export function translateSse(
  body: ReadableStream<Uint8Array>,
  t: { push(ev: { event: string; data: string }): Uint8Array[]; end(): Uint8Array[]; usage: Usage },
  done: (u: Usage) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const parser = new SseParser();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        for (const ev of parser.push(decoder.decode(chunk, { stream: true })))
          for (const out of t.push(ev)) controller.enqueue(out);
      },
      flush(controller) {
        for (const ev of parser.push(decoder.decode())) for (const out of t.push(ev)) controller.enqueue(out);
        for (const ev of parser.end()) for (const out of t.push(ev)) controller.enqueue(out);
        for (const out of t.end()) controller.enqueue(out);
        done(t.usage);
      },
    }),
  );
}
