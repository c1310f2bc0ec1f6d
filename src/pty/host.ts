import { chmodSync, existsSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { Socket } from "bun";
import { log } from "../log";
import { hop } from "../shared/hop-trace";
import { HostSession } from "./host-session";
import {
  FrameDecoder,
  FrameKind,
  type HostEvent,
  type HostOp,
  type HostOps,
  type HostRequest,
  isAlive,
  jsonFrame,
  outputFrame,
  outputHeader,
  PROTOCOL_VERSION,
} from "./protocol";

/** A connection falling this far behind is dropped; the server reconnects and resumes from its cursor. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
const EXIT_GRACE_MS = 5000;
const BUSY_WINDOW_MS = 2;
/** Only a flush this large counts as a stream of output worth batching. */
const BUSY_FLUSH_BYTES = 16 * 1024;
/** Unsent output beyond this goes out at once (a quarter of the ring it is read from). */
const MAX_FRAME_BYTES = 1024 * 1024;

interface Conn {
  decoder: FrameDecoder;
  pending: Uint8Array[];
  pendingBytes: number;
  subscriptions: Set<string>;
}

/** What an operation does; `undefined` when it has already replied itself. */
type Handlers = {
  [Op in HostOp]: (socket: Socket<Conn>, req: HostRequest<Op>) => HostOps[Op]["reply"] | undefined;
};

/** The long-lived process that owns every session's PTY (`opendray ptyd`). */
export class PtyHost {
  private sessions = new Map<string, HostSession>();
  private conns = new Set<Socket<Conn>>();
  private listener?: ReturnType<typeof Bun.listen<Conn>>;
  private idleTimer?: Timer;
  private exitTimer?: Timer;
  private closed = false;
  /** Sessions with output not yet sent, and the cursor of their first unsent byte. */
  private unsent = new Map<HostSession, number>();
  private flushScheduled = false;
  private lastFlush = 0;
  private lastFlushBytes = 0;

  constructor(private readonly socketPath: string) {}

  async start() {
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    if (existsSync(this.socketPath)) {
      if (await isAlive(this.socketPath)) throw new Error(`a PTY host already listens on ${this.socketPath}`);
      unlinkSync(this.socketPath);
    }
    this.listener = Bun.listen<Conn>({
      unix: this.socketPath,
      socket: {
        open: (socket) => {
          socket.data = { decoder: new FrameDecoder(), pending: [], pendingBytes: 0, subscriptions: new Set() };
          this.conns.add(socket);
          clearTimeout(this.exitTimer);
        },
        data: (socket, chunk) => {
          for (const frame of socket.data.decoder.push(chunk)) {
            if (frame.kind === FrameKind.Input) {
              hop("host-in");
              this.sessions.get(frame.id)?.pty.write(frame.bytes);
              hop("pty-write");
            } else if (frame.kind === FrameKind.Json) this.handle(socket, frame.message as unknown as HostRequest);
          }
        },
        drain: (socket) => this.flush(socket),
        close: (socket) => {
          this.conns.delete(socket);
          this.maybeExitLater();
        },
        error: (_socket, error) => log.warn("ptyd connection error", { error }),
      },
    });
    chmodSync(this.socketPath, 0o600);
    this.idleTimer = setInterval(() => {
      const now = Date.now();
      for (const s of this.sessions.values()) s.checkIdle(now);
    }, 250);
    log.info("pty host listening", { socket: this.socketPath, pid: process.pid });
    this.maybeExitLater();
  }

  /** `borrowed` parts are views of a ring: what must wait for a drain is copied. */
  private send(socket: Socket<Conn>, frame: Uint8Array, borrowed = false) {
    const conn = socket.data;
    if (conn.pending.length) {
      const kept = borrowed ? frame.slice() : frame;
      conn.pending.push(kept);
      conn.pendingBytes += kept.length;
    } else {
      const written = socket.write(frame);
      if (written < frame.length) {
        const rest = frame.slice(written);
        conn.pending.push(rest);
        conn.pendingBytes += rest.length;
      }
    }
    if (conn.pendingBytes > MAX_PENDING_BYTES) {
      log.warn("ptyd dropping a connection that fell behind", { pendingBytes: conn.pendingBytes });
      socket.end();
    }
  }

  private flush(socket: Socket<Conn>) {
    const conn = socket.data;
    while (conn.pending.length) {
      const frame = conn.pending[0] as Uint8Array;
      const written = socket.write(frame);
      conn.pendingBytes -= written;
      if (written < frame.length) {
        conn.pending[0] = frame.subarray(written);
        return;
      }
      conn.pending.shift();
    }
  }

  private broadcast(event: HostEvent) {
    const frame = jsonFrame(event);
    for (const socket of this.conns) this.send(socket, frame);
  }

  private reply<Op extends HostOp>(socket: Socket<Conn>, req: HostRequest<Op>, reply: HostOps[Op]["reply"]) {
    this.send(socket, jsonFrame({ reqId: req.reqId, ok: true, ...reply }));
  }

  private handle(socket: Socket<Conn>, req: HostRequest) {
    try {
      if (!Object.hasOwn(this.ops, req.op)) throw new Error(`unknown op ${req.op}`);
      // req.op names its handler, whose request type req has
      const result = (this.ops[req.op] as (socket: Socket<Conn>, req: HostRequest) => object | undefined)(socket, req);
      if (result) this.reply(socket, req, result);
    } catch (e) {
      this.send(socket, jsonFrame({ reqId: req.reqId, ok: false, error: (e as Error).message }));
    }
  }

  private readonly ops: Handlers = {
    hello: () => ({
      version: PROTOCOL_VERSION,
      pid: process.pid,
      sessions: [...this.sessions.values()].map((s) => s.info()),
    }),
    spawn: (_socket, req) => ({ session: this.spawn(req) }),
    subscribe: (socket, req) => {
      const session = this.sessions.get(req.id);
      if (!session) throw new Error(`no session ${req.id}`);
      socket.data.subscriptions.add(req.id);
      const { from, bytes } = session.ring.read(req.since);
      this.reply(socket, req, { from, end: session.ring.end });
      if (bytes.length) this.send(socket, outputFrame(req.id, from, bytes));
      return undefined;
    },
    input: (_socket, req) => {
      const session = this.sessions.get(req.id);
      if (!session || session.state === "exited") throw new Error("session is not running");
      const applied = session.claimInput(req.inputId);
      if (applied) session.pty.write(req.data);
      return { applied };
    },
    resize: (_socket, req) => {
      this.sessions.get(req.id)?.resize(req.cols, req.rows);
      return {};
    },
    stop: (_socket, req) => {
      const session = this.sessions.get(req.id);
      if (session && session.state !== "exited") session.pty.stop();
      return {};
    },
    forget: (_socket, req) => {
      const session = this.sessions.get(req.id);
      if (session?.state === "exited") {
        session.flushLog();
        session.log?.close();
        this.sessions.delete(req.id);
      }
      this.maybeExitLater();
      return {};
    },
    shutdown: (socket, req) => {
      this.reply(socket, req, {});
      void this.shutdown();
      return undefined;
    },
  };

  private spawn(req: HostOps["spawn"]["request"]) {
    hop("host-spawn");
    const { id, argv, env, cwd, cols, rows } = req;
    const existing = this.sessions.get(id);
    if (existing && existing.state !== "exited") throw new Error("session is already running");
    existing?.log?.close();
    const session = new HostSession(
      id,
      { argv, env, cwd, cols, rows },
      req.idleMs,
      req.startCursor,
      {
        output: (s, cursor) => this.queueOutput(s, cursor),
        state: (s) => {
          // an exit is reported by `exit`, with the exit code
          if (s.state !== "exited")
            this.broadcast({ event: "state", id: s.id, state: s.state, at: new Date().toISOString() });
        },
        exit: (s) => {
          s.flushLog();
          this.broadcast({ event: "exit", session: s.info() });
          this.maybeExitLater();
        },
      },
      req.log,
    );
    this.sessions.set(id, session);
    hop("host-spawned");
    return session.info();
  }

  /**
   * PTY reads arrive in small pieces; those that arrive in the same turn of the event loop travel
   * to the server as one frame, read from the session's ring, which is what keeps the pipe near
   * raw PTY speed.
   */
  private queueOutput(session: HostSession, cursor: number) {
    const from = this.unsent.get(session) ?? cursor;
    this.unsent.set(session, from);
    // A busy PTY can keep the loop reading for a long time: send before the ring could overrun.
    if (session.ring.end - from >= MAX_FRAME_BYTES) this.sendUnsent();
    if (!this.flushScheduled) {
      const sinceFlush = performance.now() - this.lastFlush;
      // The first read after a quiet moment (a keystroke's echo) goes out at once; reads that
      // follow it closely are batched.
      if (sinceFlush >= BUSY_WINDOW_MS) return this.flushOutput();
      this.flushScheduled = true;
      // Under a stream of output, wait a little longer to send fewer, larger frames.
      if (this.lastFlushBytes >= BUSY_FLUSH_BYTES) setTimeout(() => this.flushOutput(), BUSY_WINDOW_MS);
      else queueMicrotask(() => this.flushOutput());
    }
  }

  private flushOutput() {
    this.flushScheduled = false;
    this.lastFlush = performance.now();
    this.lastFlushBytes = 0;
    this.sendUnsent();
  }

  private sendUnsent() {
    for (const [session, cursor] of this.unsent) {
      this.lastFlushBytes += session.ring.end - cursor;
      let frame: { header: Uint8Array; views: Uint8Array[] } | undefined;
      for (const socket of this.conns) {
        if (!socket.data.subscriptions.has(session.id)) continue;
        if (!frame) {
          // at most MAX_FRAME_BYTES are unsent, a quarter of the ring, so the bytes are still held
          const { from, views } = session.ring.views(cursor);
          if (from !== cursor)
            log.warn("output overran the ring before it was sent", { id: session.id, lostBytes: from - cursor });
          const length = views.reduce((n, v) => n + v.length, 0);
          frame = { header: outputHeader(session.id, from, length), views };
        }
        hop("host-out");
        this.send(socket, frame.header);
        for (const v of frame.views) this.send(socket, v, true);
      }
      // Logged after the send, off the echo's path, yet before any later output is sent: a byte
      // leaves the server's 4 MiB ring only after more output, so what a client saw it can read back.
      session.flushLog();
    }
    this.unsent.clear();
  }

  /** The host lives while it holds a session the server has not forgotten, or while a server is connected. */
  private maybeExitLater() {
    clearTimeout(this.exitTimer);
    if (this.conns.size > 0 || this.sessions.size > 0 || this.closed) return;
    this.exitTimer = setTimeout(() => {
      if (this.conns.size === 0 && this.sessions.size === 0) void this.shutdown();
    }, EXIT_GRACE_MS);
  }

  async shutdown() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.idleTimer);
    await Promise.all([...this.sessions.values()].filter((s) => s.state !== "exited").map((s) => s.pty.stop(500)));
    for (const s of this.sessions.values()) {
      s.flushLog();
      s.log?.close();
    }
    this.listener?.stop(true);
    try {
      unlinkSync(this.socketPath);
    } catch {}
    log.info("pty host stopped");
    process.exit(0);
  }
}

export async function runPtyHost(socketPath: string) {
  const host = new PtyHost(socketPath);
  await host.start();
  process.on("SIGTERM", () => void host.shutdown());
  process.on("SIGINT", () => void host.shutdown());
  process.on("SIGHUP", () => {});
}
