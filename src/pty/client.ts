import { openSync } from "node:fs";
import type { Socket } from "bun";
import { log } from "../log";
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
        close: () => this.onClose(),
        error: (_s, error) => log.warn("pty host connection error", { error }),
      },
    });
    const hello = await this.request("hello", { version: PROTOCOL_VERSION });
    if (hello.version !== PROTOCOL_VERSION)
      log.warn("pty host speaks another protocol version", { version: hello.version });
    return hello.sessions;
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
      if (frame.kind === FrameKind.Output) this.handlers.output(frame.id, frame.cursor, frame.bytes);
      else if (frame.kind === FrameKind.Json) {
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

  private onClose() {
    for (const w of this.waiting.values()) w.reject(new Error("PTY host connection closed"));
    this.waiting.clear();
    this.socket = undefined;
    if (this.closing) return;
    log.warn("lost the PTY host connection; reconnecting");
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
    this.write(inputFrame(id, bytes));
  }

  close() {
    this.closing = true;
    this.socket?.end();
  }
}
