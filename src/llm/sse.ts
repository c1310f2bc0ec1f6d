/** One server-sent event: its `event:` name (empty when absent) and its joined `data:` lines. */
export interface SseEvent {
  event: string;
  data: string;
}

/** An incremental SSE parser: feed text as it arrives, get the complete events. */
export class SseParser {
  private buf = "";

  push(text: string): SseEvent[] {
    this.buf += text;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.buf);
      if (!m) break;
      const block = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      const ev = parseBlock(block);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** What is left when the stream ends without a final blank line. */
  end(): SseEvent[] {
    const ev = this.buf.trim() ? parseBlock(this.buf) : null;
    this.buf = "";
    return ev ? [ev] : [];
  }
}

function parseBlock(block: string): SseEvent | null {
  let event = "";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    else if (line.startsWith("event:")) event = line.slice(6).trim();
  }
  return data.length || event ? { event, data: data.join("\n") } : null;
}

const enc = new TextEncoder();
export const sseData = (d: unknown) => enc.encode(`data: ${JSON.stringify(d)}\n\n`);
export const sseEvent = (name: string, d: unknown) => enc.encode(`event: ${name}\ndata: ${JSON.stringify(d)}\n\n`);
export const sseRaw = (s: string) => enc.encode(s);

export function tryJson(s: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(s);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
