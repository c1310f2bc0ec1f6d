import { existsSync, openSync, readFileSync } from "node:fs";
import type { Socket } from "bun";
import { log } from "../log";
import { hop } from "../shared/hop-trace";
import {
  FrameDecoder,
  FrameKind,
  type HostEvent,
  type HostOp,
  type HostOps,
  type HostReply,
  type HostSessionInfo,
  inputFrame,
  isAlive,
  PROTOCOL_VERSION,
  requestFrame,
} from "./protocol";

export type { HostEvent, HostSessionInfo } from "./protocol";

export interface HostClientHandlers {
  output(id: string, cursor: number, bytes: Uint8Array): void;
  event(event: HostEvent): void;
  /** Called after a lost connection is re-established: resubscribe from your cursors. */
  reconnected(sessions: HostSessionInfo[]): void;
  /**
   * The host process died (or another one took its place): every session it ran is gone. Called
   * before reconnecting, which starts a new host; the reconnect waits for the returned promise.
   */
  lost(pid: number | null): Promise<void>;
}

export interface HostLaunch {
  /** argv that runs `opendray ptyd` */
  command: string[];
  logFile: string;
  env?: Record<string, string>;
}

/** The server's connection to the PTY host, starting the host when none is running. */
export class PtyHostClient {
  private socket?: Socket<undefined>;
  private decoder = new FrameDecoder();
  private nextReq = 1;
  private waiting = new Map<number, { resolve(reply: HostReply): void; reject(e: Error): void }>();
  private pending: Uint8Array[] = [];
  private closing = false;
  /** The connected host's pid (from hello), to tell a dropped connection from a dead host. */
  private hostPid: number | null = null;
  private connectedWaiters: (() => void)[] = [];
  /** Settles once a closed connection has been looked into, and a dead host's sessions marked lost. */
  private settling: Promise<void> = Promise.resolve();

  constructor(
    private readonly socketPath: string,
    private readonly launch: HostLaunch,
    private readonly handlers: HostClientHandlers,
  ) {}

  async connect(): Promise<HostSessionInfo[]> {
    if (!(await isAlive(this.socketPath))) await this.startHost();
    this.decoder = new FrameDecoder();
    this.socket = await Bun.connect<undefined>({
      unix: this.socketPath,
      socket: {
        data: (_s, chunk) => this.onData(chunk),
        drain: (s) => {
          while (this.pending.length) {
            const frame = this.pending[0] as Uint8Array;
            const n = s.write(frame);
            if (n < frame.length) {
              this.pending[0] = frame.subarray(n);
              return;
            }
            this.pending.shift();
          }
        },
        close: () => void this.onClose(),
        error: (_s, error) => log.warn("pty host connection error", { error }),
      },
    });
    const hello = await this.request("hello", { version: PROTOCOL_VERSION });
    if (hello.version !== PROTOCOL_VERSION)
      log.warn("pty host speaks another protocol version", { version: hello.version });
    const previous = this.hostPid;
    this.hostPid = hello.pid;
    if (previous !== null && previous !== hello.pid) {
      log.warn("another PTY host took the place of the one that ran the sessions", { was: previous, now: hello.pid });
      await this.handlers.lost(previous);
    }
    for (const resolve of this.connectedWaiters.splice(0)) resolve();
    return hello.sessions;
  }

  /** Resolves once connected (at once when connected), rejects after `timeoutMs` without a connection. */
  connected(timeoutMs = 15_000): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connectedWaiters = this.connectedWaiters.filter((w) => w !== done);
        reject(new Error("the PTY host is not connected"));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connectedWaiters.push(done);
    });
  }

  private async startHost() {
    const out = openSync(this.launch.logFile, "a");
    const proc = Bun.spawn(this.launch.command, {
      stdio: ["ignore", out, out],
      detached: true,
      // launch.env is the whole environment (secrets removed), not additions to the server's own
      env: this.launch.env ?? { ...process.env },
    });
    proc.unref();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await isAlive(this.socketPath)) return;
      await Bun.sleep(25);
    }
    throw new Error(`the PTY host did not start; see ${this.launch.logFile}`);
  }

  private onData(chunk: Uint8Array) {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.kind === FrameKind.Output) {
        hop("ipc-in");
        this.handlers.output(frame.id, frame.cursor, frame.bytes);
      } else if (frame.kind === FrameKind.Json) {
        const msg = frame.message as unknown as HostReply | HostEvent;
        if ("reqId" in msg) {
          const waiter = this.waiting.get(msg.reqId);
          this.waiting.delete(msg.reqId);
          if (msg.ok) waiter?.resolve(msg);
          else waiter?.reject(new Error(msg.error));
        } else if (msg.event) this.handlers.event(msg);
      }
    }
  }

  private async onClose() {
    this.socket = undefined;
    // set before the waiting requests fail, so that their callers can wait for it (settled())
    if (!this.closing) this.settling = this.lookIntoClose(this.hostPid);
    for (const w of this.waiting.values()) w.reject(new Error("PTY host connection closed"));
    this.waiting.clear();
    if (this.closing) return;
    await this.settling;
    const retry = async (delay: number): Promise<void> => {
      await Bun.sleep(delay);
      if (this.closing) return;
      try {
        this.handlers.reconnected(await this.connect());
      } catch (e) {
        log.warn("PTY host reconnect failed", { error: e });
        return retry(Math.min(delay * 2, 5000));
      }
    };
    void retry(50);
  }

  private async lookIntoClose(pid: number | null) {
    if (await this.hostDied(pid)) {
      log.warn("the PTY host died; its sessions are lost", { pid });
      this.hostPid = null;
      await this.handlers.lost(pid).catch((error) => log.warn("marking the lost sessions failed", { error }));
    } else log.warn("lost the PTY host connection; reconnecting");
  }

  /** Settles once a closed connection has been looked into: a dead host's sessions are then exited. */
  settled(): Promise<void> {
    return this.settling;
  }

  /**
   * After the connection closed: whether the host process is gone. A host that still listens only
   * dropped this connection; one that refuses connections is exiting, so its pid goes within moments.
   */
  private async hostDied(pid: number | null): Promise<boolean> {
    if (pid === null) return !(await isAlive(this.socketPath));
    if (!processRuns(pid)) return true;
    if (await isAlive(this.socketPath)) return false;
    const deadline = Date.now() + 1000;
    while (processRuns(pid) && Date.now() < deadline) await Bun.sleep(10);
    // a host that no longer listens cannot serve its sessions, gone or not
    return true;
  }

  private write(frame: Uint8Array) {
    if (!this.socket) throw new Error("the PTY host is not connected");
    if (this.pending.length) {
      this.pending.push(frame);
      return;
    }
    const n = this.socket.write(frame);
    if (n < frame.length) this.pending.push(frame.subarray(n));
  }

  /** Sends one operation and resolves with the host's reply; rejects with the host's error. */
  request<Op extends HostOp>(op: Op, fields: HostOps[Op]["request"]): Promise<HostOps[Op]["reply"]> {
    const reqId = this.nextReq++;
    return new Promise((resolve, reject) => {
      // the host answers reqId with the reply of this op
      this.waiting.set(reqId, { resolve: (reply) => resolve(reply as HostOps[Op]["reply"]), reject });
      try {
        this.write(requestFrame(op, reqId, fields));
      } catch (e) {
        this.waiting.delete(reqId);
        reject(e);
      }
    });
  }

  input(id: string, bytes: Uint8Array) {
    hop("ipc-out");
    this.write(inputFrame(id, bytes));
  }

  close() {
    this.closing = true;
    this.socket?.end();
  }
}

/** Whether `pid` is a live process: not gone and not a zombie waiting to be reaped. */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  if (!existsSync("/proc/self/stat")) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
