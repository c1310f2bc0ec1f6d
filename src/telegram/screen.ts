import type { Bridge } from "./bridge";
import { cleanOutput } from "./text";

const decoder = new TextDecoder();

/** The last `n` lines of the session's output, cleaned. */
export async function tailLines(bridge: Pick<Bridge, "sessions">, sessionId: string, n: number): Promise<string[]> {
  const buf = await bridge.sessions.readBuffer(sessionId);
  const bytes = buf.bytes.length > 256 * 1024 ? buf.bytes.subarray(buf.bytes.length - 256 * 1024) : buf.bytes;
  return cleanOutput(decoder.decode(bytes)).slice(-n);
}

/** What the terminal shows now: the server-side screen model if there is one, else the output tail. */
export async function screenLines(bridge: Pick<Bridge, "sessions">, sessionId: string, n: number): Promise<string[]> {
  if (bridge.sessions.screen) {
    const { lines } = await bridge.sessions.screen(sessionId);
    const trimmed = lines.map((l) => l.replace(/[\u2500-\u259F]/g, " ").replace(/\s+$/, ""));
    while (trimmed.length && !trimmed[trimmed.length - 1]) trimmed.pop();
    while (trimmed.length && !trimmed[0]) trimmed.shift();
    return trimmed.slice(-n);
  }
  return tailLines(bridge, sessionId, n);
}
