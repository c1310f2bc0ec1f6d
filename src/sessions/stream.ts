import { log } from "../log";
import { RingBuffer } from "../shared/ring-buffer";
import type { OutputLog } from "./output-log";

export type OutputListener = (cursor: number, bytes: Uint8Array) => void;

/** A time line sample every this often while output flows: when byte `at` arrived. */
const SAMPLE_MS = 50;
const MAX_SAMPLES = 256;

/**
 * The server's copy of a session's output ring (the hot cache), the session's output log on disk
 * behind it, and the live listeners attached to it.
 */
export class SessionStream {
  private ring: RingBuffer;
  private listeners = new Set<OutputListener>();
  /** The session's whole output on disk (written by the PTY host), when it has one. */
  log?: OutputLog;
  private samples: { at: number; t: number }[] = [];

  constructor(startCursor = 0, log?: OutputLog) {
    this.ring = new RingBuffer(4 * 1024 * 1024, startCursor);
    this.log = log;
  }

  /** Cursor of the oldest byte held in memory. */
  get start() {
    return this.ring.start;
  }

  /** Cursor of the oldest byte still held, in memory or on disk. */
  get oldest(): number {
    const disk = this.log?.start;
    return disk != null && disk < this.ring.start ? disk : this.ring.start;
  }

  /**
   * Up to `maxBytes` from `from`, out of the ring or else the log. `from` in the result is later
   * than asked when those bytes are gone from both.
   */
  chunk(from: number, maxBytes: number): { from: number; bytes: Uint8Array } {
    if (from < this.ring.start && this.log) {
      const disk = this.log.read(from, Math.min(maxBytes, this.ring.start - from));
      if (disk?.bytes.length && disk.from < this.ring.start) return disk;
    }
    return this.ring.read(from, maxBytes);
  }

  /** How long ago byte `cursor` arrived, in ms (0 when it has not yet). */
  ageMs(cursor: number, now = performance.now()): number {
    if (cursor >= this.ring.end) return 0;
    let sample: { at: number; t: number } | undefined;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const s = this.samples[i] as { at: number; t: number };
      sample = s;
      if (s.at <= cursor) break;
    }
    return sample ? now - sample.t : 0;
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
    const now = performance.now();
    const lastSample = this.samples.at(-1);
    if (!lastSample || now - lastSample.t >= SAMPLE_MS) {
      this.samples.push({ at, t: now });
      if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    }
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
