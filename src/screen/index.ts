import { RingBuffer } from "../shared/ring-buffer";
import { isCompiled } from "../shared/runtime";
import type { ScreenSnapshot, SearchHit, SerializedScreen } from "./engine";
import type { ToHost, ToWorker } from "./protocol";

export type { ScreenSnapshot, SearchHit, SerializedScreen } from "./engine";
export { ScreenEngine } from "./engine";

/** Output is handed to the worker at most this often, as one message. */
const FLUSH_MS = 4;
/** Output posted but not yet parsed beyond which the model holds back (and coalesces) further output. */
const MAX_INFLIGHT = 1024 * 1024;
/** Unposted output beyond this is skipped: only the newest KEEP_ON_OVERFLOW bytes can still show. */
const KEEP_ON_OVERFLOW = 256 * 1024;

/** A real copy (a Node Buffer's slice() is a view of the same memory). */
function copyOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** Bun's Worker can be unref'd so an idle screen worker does not keep the process alive. */
type BunWorker = Worker & { ref(): void; unref(): void };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** One worker thread that hosts the emulators of many sessions. */
export class ScreenHost {
  private readonly worker: BunWorker;
  private readonly pending = new Map<number, Pending>();
  private readonly models = new Map<number, ScreenModel>();
  private nextReq = 1;
  private nextId = 1;

  constructor() {
    // In the compiled binary the worker is an extra entrypoint, addressed from the entrypoints' root (src/).
    this.worker = new Worker(
      isCompiled() ? "./screen/worker.ts" : new URL("./worker.ts", import.meta.url).href,
    ) as BunWorker;
    this.worker.onmessage = (event: MessageEvent<ToHost>) => this.receive(event.data);
    this.worker.unref();
  }

  private receive(msg: ToHost) {
    if (msg.t === "parsed") {
      this.models.get(msg.id)?.markParsed(msg.cursor);
      return;
    }
    const p = this.pending.get(msg.req);
    if (!p) return;
    this.pending.delete(msg.req);
    if (this.pending.size === 0) this.worker.unref();
    if (msg.error !== undefined) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  }

  /** @internal */
  send(msg: ToWorker, transfer?: Transferable[]) {
    this.worker.postMessage(msg, transfer ?? []);
  }

  /** @internal */
  call<T>(msg: Omit<Extract<ToWorker, { t: "call" }>, "t" | "req">): Promise<T> {
    const req = this.nextReq++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ t: "call", req, ...msg });
    });
  }

  /** @internal */
  register(model: ScreenModel): number {
    const id = this.nextId++;
    this.models.set(id, model);
    return id;
  }

  /** @internal */
  unregister(id: number) {
    this.models.delete(id);
  }

  terminate() {
    for (const p of this.pending.values()) p.reject(new Error("screen host terminated"));
    this.pending.clear();
    this.worker.terminate();
  }
}

let shared: ScreenHost | undefined;
/** The process-wide screen worker, started on first use. */
export function sharedScreenHost(): ScreenHost {
  shared ??= new ScreenHost();
  return shared;
}

export interface ScreenModelOptions {
  /** Defaults to the process-wide worker. */
  host?: ScreenHost;
  /** Session byte cursor the model starts at (the ring buffer's end when the screen is created). */
  startCursor?: number;
  /**
   * Reads the session's output from cursor `from` (at most `maxBytes`, as a fresh copy that the
   * model transfers to the worker), e.g. `(f, m) => ring.read(f, m)`. With it, write() copies
   * nothing: the model reads from the ring buffer only what the worker can take, so a flood costs
   * the pipe nothing. Without it, write() keeps the newest output in a small ring of the model's own.
   */
  read?: (from: number, maxBytes: number) => { from: number; bytes: Uint8Array };
}

/**
 * A session's server-side terminal screen. `write` only posts the bytes to the screen worker, so the
 * PTY pipe never waits for parsing; the queries answer with the byte cursor the worker had parsed.
 */
export class ScreenModel {
  private readonly id: number;
  private written: number;
  private parsedCursor: number;
  private closed = false;
  private parsedListeners = new Set<(cursor: number) => void>();
  private posted: number;
  /** The model's own copy of recent output, when the caller has no ring to read from. */
  private own?: RingBuffer;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private cols: number,
    private rows: number,
    scrollback = 1000,
    opts: ScreenModelOptions = {},
  ) {
    this.host = opts.host ?? sharedScreenHost();
    this.id = this.host.register(this);
    this.written = this.parsedCursor = this.posted = opts.startCursor ?? 0;
    if (!opts.read) this.own = new RingBuffer(KEEP_ON_OVERFLOW, this.written);
    this.read = opts.read ?? ((from, max) => (this.own as RingBuffer).read(from, max));
    this.host.send({ t: "open", id: this.id, cols, rows, scrollback, start: this.written });
  }

  private readonly host: ScreenHost;
  private readonly read: NonNullable<ScreenModelOptions["read"]>;

  get size() {
    return { cols: this.cols, rows: this.rows };
  }

  /** Byte cursor just past the last byte handed to write(). */
  get writtenCursor() {
    return this.written;
  }

  /** Byte cursor the emulator has parsed up to (as last reported by the worker). */
  get parsedCursorNow() {
    return this.parsedCursor;
  }

  /** `endCursor` is the session's byte cursor just past `bytes` (the ring buffer's end after appending them). */
  write(bytes: Uint8Array, endCursor: number) {
    if (this.closed || bytes.length === 0) return;
    if (this.own) {
      // Copied into the model's ring: the caller may reuse its buffer.
      const start = endCursor - bytes.length;
      if (start !== this.own.end) {
        // A gap in the caller's cursors (a replay that starts later): the emulator sees it as such,
        // and parsing resumes exactly at `start`, not at the next line as after an overflow.
        this.flush(true);
        this.own = new RingBuffer(KEEP_ON_OVERFLOW, start);
        this.posted = start;
      }
      this.own.append(bytes);
    }
    this.written = endCursor;
    this.scheduleFlush();
  }

  private scheduleFlush() {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.flush(false);
    }, FLUSH_MS);
  }

  /** Posts the unposted output as one message, unless the worker is still busy with earlier output. */
  private flush(force: boolean) {
    if (this.posted >= this.written || this.closed) return;
    if (!force && this.posted - this.parsedCursor > MAX_INFLIGHT) return; // markParsed() retries
    const from = Math.max(this.posted, this.written - KEEP_ON_OVERFLOW);
    const got = this.read(from, this.written - from);
    if (got.bytes.length === 0) return;
    let bytes = got.bytes;
    if (got.from > this.posted) {
      // Skipping ahead: resume at a line start rather than inside an escape sequence.
      const nl = bytes.subarray(0, 64 * 1024).indexOf(0x0a);
      if (nl >= 0 && nl < bytes.length - 1) bytes = bytes.subarray(nl + 1);
    }
    // Transferred (detached) to the worker: the reader returns a fresh copy, but a Buffer may be a pool view.
    const transferable =
      Buffer.isBuffer(bytes) || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength
        ? copyOf(bytes)
        : bytes;
    this.posted = got.from + got.bytes.length;
    this.host.send({ t: "write", id: this.id, bytes: transferable, end: this.posted }, [
      transferable.buffer as ArrayBuffer,
    ]);
  }

  resize(cols: number, rows: number) {
    if (this.closed) return;
    this.cols = cols;
    this.rows = rows;
    this.host.send({ t: "resize", id: this.id, cols, rows });
  }

  /** The visible screen. `settled` waits until everything written so far is parsed. */
  snapshot(opts: { settled?: boolean } = {}): Promise<ScreenSnapshot> {
    if (opts.settled) this.flush(true);
    return this.host.call({ id: this.id, op: "snapshot", settled: opts.settled });
  }

  /** ANSI that reproduces the screen and the last `scrollbackLines` of scrollback in a fresh xterm. */
  serialize(opts: { scrollbackLines?: number; settled?: boolean } = {}): Promise<SerializedScreen> {
    if (opts.settled) this.flush(true);
    return this.host.call({
      id: this.id,
      op: "serialize",
      scrollbackLines: opts.scrollbackLines,
      settled: opts.settled,
    });
  }

  /** Case-insensitive substring search over scrollback and screen, oldest first. */
  search(q: string, limit = 100): Promise<SearchHit[]> {
    return this.host.call({ id: this.id, op: "search", q, limit });
  }

  /** Resolves with the parsed byte cursor once everything written so far has been parsed. */
  settled(): Promise<number> {
    this.flush(true);
    return this.host.call({ id: this.id, op: "settled", settled: true });
  }

  /** Called whenever the worker has parsed more output; returns an unsubscribe function. */
  onParsed(fn: (cursor: number) => void): () => void {
    this.parsedListeners.add(fn);
    return () => this.parsedListeners.delete(fn);
  }

  /** @internal */
  markParsed(cursor: number) {
    this.parsedCursor = cursor;
    if (!this.flushTimer && this.posted < this.written) this.flush(false);
    for (const fn of this.parsedListeners) fn(cursor);
  }

  dispose() {
    if (this.closed) return;
    this.closed = true;
    this.parsedListeners.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.host.send({ t: "close", id: this.id });
    this.host.unregister(this.id);
  }
}
