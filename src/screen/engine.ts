import { SerializeAddon } from "@xterm/addon-serialize";
import { Unicode11Addon } from "@xterm/addon-unicode11";
import { Terminal } from "@xterm/headless";

export interface ScreenSnapshot {
  lines: string[];
  cursor: { x: number; y: number };
  cols: number;
  rows: number;
  /** Byte cursor of the session stream that the screen reflects: every byte before it has been parsed. */
  byteCursor: number;
  /** Bytes the emulator skipped because it fell too far behind a flood (0 in normal use). */
  skippedBytes: number;
}

export interface SerializedScreen {
  data: string;
  cols: number;
  rows: number;
  byteCursor: number;
}

export interface SearchHit {
  /** Index in the emulator's buffer: 0 is the oldest scrollback line still held. */
  line: number;
  text: string;
}

export interface EngineOptions {
  cols: number;
  rows: number;
  scrollback?: number;
  /** Unparsed bytes beyond which the oldest queued output is dropped (the screen keeps the newest). */
  maxBacklog?: number;
  /** How much of the newest output is kept when the backlog is dropped. */
  keepOnOverflow?: number;
}

const BATCH_BYTES = 64 * 1024;
/**
 * Parsing gets at most PARSE_BUDGET_MS of every PARSE_WINDOW_MS (~7 MB/s of output), so a flood
 * cannot take a core away from the PTY pipe; what it cannot parse in time queues up, and past
 * maxBacklog the oldest is dropped. Agents' normal output (≤ ~1 MB/s) never reaches the budget.
 */
const PARSE_WINDOW_MS = 100;
const PARSE_BUDGET_MS = 10;

/**
 * An xterm emulator fed with a session's output. Writes are queued and handed to xterm one batch at
 * a time, so the byte cursor advances only when xterm has parsed a batch, and a flood that xterm
 * cannot keep up with drops its oldest queued bytes instead of growing without bound.
 */
export class ScreenEngine {
  private readonly term: Terminal;
  private readonly serializer = new SerializeAddon();
  private queue: { bytes: Uint8Array; end: number }[] = [];
  private queued = 0;
  private writing = false;
  private parsed = 0;
  private skipped = 0;
  private idleWaiters: (() => void)[] = [];
  private lastQueuedEnd: number;
  private windowStart = 0;
  private windowUsed = 0;
  private paceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxBacklog: number;
  private readonly keepOnOverflow: number;
  onParsed?: (byteCursor: number) => void;

  constructor(opts: EngineOptions, startCursor = 0) {
    this.term = new Terminal({
      cols: opts.cols,
      rows: opts.rows,
      scrollback: opts.scrollback ?? 1000,
      allowProposedApi: true,
      logLevel: "off",
    });
    // biome-ignore lint/suspicious/noExplicitAny: the addon is typed against @xterm/xterm's Terminal
    this.term.loadAddon(this.serializer as any);
    // CJK and emoji are two cells wide, as in the PTY and the browser terminal.
    // biome-ignore lint/suspicious/noExplicitAny: the addon is typed against @xterm/xterm's Terminal
    this.term.loadAddon(new Unicode11Addon() as any);
    this.term.unicode.activeVersion = "11";
    this.parsed = this.lastQueuedEnd = startCursor;
    this.maxBacklog = opts.maxBacklog ?? 16 * 1024 * 1024;
    this.keepOnOverflow = opts.keepOnOverflow ?? 1024 * 1024;
  }

  get byteCursor() {
    return this.parsed;
  }

  get backlog() {
    return this.queued;
  }

  write(bytes: Uint8Array, endCursor: number) {
    if (bytes.length === 0) return;
    // Output the sender already dropped shows up as a gap in the cursors.
    const start = endCursor - bytes.length;
    if (start > this.lastQueuedEnd) this.skipped += start - this.lastQueuedEnd;
    this.lastQueuedEnd = endCursor;
    this.queue.push({ bytes, end: endCursor });
    this.queued += bytes.length;
    if (this.queued > this.maxBacklog) this.dropOldest();
    if (!this.writing) this.pump();
  }

  private dropOldest() {
    while (this.queue.length > 1 && this.queued - (this.queue[0]?.bytes.length ?? 0) >= this.keepOnOverflow) {
      const dropped = this.queue.shift();
      if (!dropped) break;
      this.queued -= dropped.bytes.length;
      this.skipped += dropped.bytes.length;
    }
  }

  private pump() {
    if (this.queue.length === 0) {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.writing = true;
    const now = performance.now();
    if (now - this.windowStart >= PARSE_WINDOW_MS) {
      this.windowStart = now;
      this.windowUsed = 0;
    } else if (this.windowUsed >= PARSE_BUDGET_MS) {
      this.paceTimer ??= setTimeout(
        () => {
          this.paceTimer = null;
          this.pump();
        },
        this.windowStart + PARSE_WINDOW_MS - now,
      );
      return;
    }
    let size = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || size + (this.queue[n]?.bytes.length ?? 0) <= BATCH_BYTES)) {
      size += this.queue[n]?.bytes.length ?? 0;
      n++;
    }
    const batch = this.queue.splice(0, n);
    this.queued -= size;
    const end = batch[batch.length - 1]?.end ?? this.parsed;
    let data: Uint8Array;
    if (batch.length === 1 && batch[0]) data = batch[0].bytes;
    else {
      data = new Uint8Array(size);
      let off = 0;
      for (const c of batch) {
        data.set(c.bytes, off);
        off += c.bytes.length;
      }
    }
    const began = performance.now();
    this.term.write(data, () => {
      this.windowUsed += performance.now() - began;
      this.parsed = end;
      this.onParsed?.(end);
      this.pump();
    });
  }

  /** Resolves once everything written so far has been parsed. */
  settled(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  resize(cols: number, rows: number) {
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
  }

  snapshot(): ScreenSnapshot {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.term.rows; y++) lines.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? "");
    return {
      lines,
      cursor: { x: buf.cursorX, y: buf.cursorY },
      cols: this.term.cols,
      rows: this.term.rows,
      byteCursor: this.parsed,
      skippedBytes: this.skipped,
    };
  }

  serialize(opts: { scrollbackLines?: number } = {}): SerializedScreen {
    const data = this.serializer.serialize({ scrollback: opts.scrollbackLines ?? 200 });
    return { data, cols: this.term.cols, rows: this.term.rows, byteCursor: this.parsed };
  }

  /** Every line the emulator holds, oldest scrollback first, as text. */
  heldLines(): string[] {
    const buf = this.term.buffer.active;
    return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? "");
  }

  search(q: string, limit = 100): SearchHit[] {
    const needle = q.toLowerCase();
    if (!needle) return [];
    const buf = this.term.buffer.active;
    const hits: SearchHit[] = [];
    for (let i = 0; i < buf.length && hits.length < limit; i++) {
      const text = buf.getLine(i)?.translateToString(true) ?? "";
      if (text.toLowerCase().includes(needle)) hits.push({ line: i, text });
    }
    return hits;
  }

  dispose() {
    if (this.paceTimer) clearTimeout(this.paceTimer);
    this.queue = [];
    this.term.dispose();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }
}
