import { hop } from "../shared/hop-trace";
import { RingBuffer } from "../shared/ring-buffer";
import type { HostSessionInfo, HostState } from "./protocol";
import { PtyProcess, type SpawnSpec } from "./pty-process";
import { SessionLog } from "./session-log";

export interface HostSessionEvents {
  output(session: HostSession, cursor: number, bytes: Uint8Array): void;
  state(session: HostSession): void;
  exit(session: HostSession): void;
}

/** A PTY, its output ring and its idle/exit state, as kept by the PTY host. */
export class HostSession {
  readonly ring: RingBuffer;
  readonly pty: PtyProcess;
  state: HostState = "running";
  exitCode: number | null = null;
  signal: string | null = null;
  cols: number;
  rows: number;
  readonly startedAt = new Date();
  exitedAt: Date | null = null;
  lastOutput = 0;
  private appliedInputs = new Set<string>();
  /** The session's whole output on disk; the ring is its hot cache. */
  readonly log: SessionLog | null;

  constructor(
    readonly id: string,
    spec: SpawnSpec,
    readonly idleMs: number,
    startCursor: number,
    private readonly events: HostSessionEvents,
    logSpec?: { dir: string; maxBytes: number },
  ) {
    this.ring = new RingBuffer(4 * 1024 * 1024, startCursor);
    this.log = logSpec ? new SessionLog(logSpec.dir, logSpec.maxBytes, startCursor, id) : null;
    this.cols = spec.cols;
    this.rows = spec.rows;
    this.lastOutput = Date.now();
    this.pty = new PtyProcess(spec, (bytes) => this.onData(bytes));
    this.pty.exited.then((exit) => {
      this.state = "exited";
      this.exitCode = exit.code;
      this.signal = exit.signal;
      this.exitedAt = new Date();
      this.events.exit(this);
    });
  }

  private onData(bytes: Uint8Array) {
    hop("pty-read");
    const cursor = this.ring.end;
    this.ring.append(bytes);
    this.lastOutput = Date.now();
    this.events.output(this, cursor, bytes);
    if (this.state === "idle") {
      this.state = "running";
      this.events.state(this);
    }
  }

  /** Appends the output not yet in the log (a page-cache write, no fsync). */
  flushLog() {
    if (!this.log || this.log.end >= this.ring.end) return;
    const { from, views } = this.ring.views(this.log.end);
    this.log.append(from, views);
  }

  checkIdle(now: number) {
    if (this.state === "running" && now - this.lastOutput >= this.idleMs) {
      this.state = "idle";
      this.events.state(this);
    }
  }

  /** Input ids are remembered here, beside the PTY, so a retry after a server crash is applied once. */
  claimInput(inputId: string): boolean {
    if (this.appliedInputs.has(inputId)) return false;
    this.appliedInputs.add(inputId);
    if (this.appliedInputs.size > 10_000) {
      const oldest = this.appliedInputs.values().next().value as string;
      this.appliedInputs.delete(oldest);
    }
    return true;
  }

  resize(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
    if (this.state !== "exited") this.pty.resize(cols, rows);
  }

  info(): HostSessionInfo {
    return {
      id: this.id,
      pid: this.pty.pid,
      state: this.state,
      exitCode: this.exitCode,
      signal: this.signal,
      cols: this.cols,
      rows: this.rows,
      start: this.ring.start,
      end: this.ring.end,
      startedAt: this.startedAt.toISOString(),
      exitedAt: this.exitedAt?.toISOString() ?? null,
      lastOutputAt: this.lastOutput ? new Date(this.lastOutput).toISOString() : null,
    };
  }
}
