import type { ToHost, ToWorker } from "./protocol.ts";
import type { ScreenSnapshot, SearchHit, SerializedScreen } from "./engine.ts";

export type { ScreenSnapshot, SearchHit, SerializedScreen } from "./engine.ts";
export { ScreenEngine } from "./engine.ts";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** One worker thread that hosts the emulators of many sessions. */
export class ScreenHost {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly models = new Map<number, ScreenModel>();
  private nextReq = 1;
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url).href);
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
  send(msg: ToWorker) {
    this.worker.postMessage(msg);
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

  constructor(
    private cols: number,
    private rows: number,
    scrollback = 1000,
    opts: { host?: ScreenHost; startCursor?: number } = {},
  ) {
    this.host = opts.host ?? sharedScreenHost();
    this.id = this.host.register(this);
    this.written = this.parsedCursor = opts.startCursor ?? 0;
    this.host.send({ t: "open", id: this.id, cols, rows, scrollback, start: this.written });
  }

  private readonly host: ScreenHost;

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
    this.written = endCursor;
    this.host.send({ t: "write", id: this.id, bytes, end: endCursor });
  }

  resize(cols: number, rows: number) {
    if (this.closed) return;
    this.cols = cols;
    this.rows = rows;
    this.host.send({ t: "resize", id: this.id, cols, rows });
  }

  /** The visible screen. `settled` waits until everything written so far is parsed. */
  snapshot(opts: { settled?: boolean } = {}): Promise<ScreenSnapshot> {
    return this.host.call({ id: this.id, op: "snapshot", settled: opts.settled });
  }

  /** ANSI that reproduces the screen and the last `scrollbackLines` of scrollback in a fresh xterm. */
  serialize(opts: { scrollbackLines?: number; settled?: boolean } = {}): Promise<SerializedScreen> {
    return this.host.call({ id: this.id, op: "serialize", scrollbackLines: opts.scrollbackLines, settled: opts.settled });
  }

  /** Case-insensitive substring search over scrollback and screen, oldest first. */
  search(q: string, limit = 100): Promise<SearchHit[]> {
    return this.host.call({ id: this.id, op: "search", q, limit });
  }

  /** Resolves with the parsed byte cursor once everything written so far has been parsed. */
  settled(): Promise<number> {
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
    for (const fn of this.parsedListeners) fn(cursor);
  }

  dispose() {
    if (this.closed) return;
    this.closed = true;
    this.parsedListeners.clear();
    this.host.send({ t: "close", id: this.id });
    this.host.unregister(this.id);
  }
}
