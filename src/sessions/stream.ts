import { log } from "../log";
import { RingBuffer } from "../shared/ring-buffer";

export type OutputListener = (cursor: number, bytes: Uint8Array) => void;

/** The server's copy of a session's output ring, and the live listeners attached to it. */
export class SessionStream {
  private ring: RingBuffer;
  private listeners = new Set<OutputListener>();

  constructor(startCursor = 0) {
    this.ring = new RingBuffer(4 * 1024 * 1024, startCursor);
  }

  /** Cursor of the oldest byte still held. */
  get start() {
    return this.ring.start;
  }

  get end() {
    return this.ring.end;
  }

  /** The held bytes from `since` (clamped to what is held; `truncated` when older bytes are gone). */
  read(since = this.ring.start, maxBytes?: number) {
    return this.ring.read(since, maxBytes);
  }

  /** Appends bytes that start at `cursor`, ignoring any part already held (re-subscription overlap). */
  append(cursor: number, bytes: Uint8Array) {
    const end = this.ring.end;
    if (cursor + bytes.length <= end) return;
    if (cursor > end) {
      log.warn("output skipped ahead; the bytes between are lost", { from: end, to: cursor });
      this.ring = new RingBuffer(this.ring.limit, cursor);
    }
    const fresh = cursor < end ? bytes.subarray(end - cursor) : bytes;
    const at = this.ring.end;
    this.ring.append(fresh);
    for (const listener of this.listeners) listener(at, fresh);
  }

  subscribe(listener: OutputListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount() {
    return this.listeners.size;
  }

  /** The last non-empty line of output, without escape sequences. */
  lastLine(): string {
    const { bytes } = this.ring.read(Math.max(this.ring.start, this.ring.end - 4096));
    const lines = stripAnsi(new TextDecoder().decode(bytes))
      .split(/\r?\n|\r/)
      .map((l) => l.trim())
      .filter(Boolean);
    return (lines.at(-1) ?? "").slice(0, 300);
  }
}

const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
