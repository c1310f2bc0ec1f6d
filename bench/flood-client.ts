import type { Socket } from "node:net";
import { Terminal } from "@xterm/headless";
import { upgradeSocket, WsFrameReader } from "../tests/raw-ws";

/**
 * A session WebSocket client over a bare TCP socket, for the flood benchmarks: it can stop reading
 * (pauses, a reading rate) as a slow phone does, tracks the byte cursor through replays, skips and
 * snapshots, counts what it lost, and can render what it gets into an xterm to compare screens.
 */
export class FloodClient {
  private socket: Socket;
  private readonly frames = new WsFrameReader((opcode, payload) => {
    if (opcode === 1) this.onText(JSON.parse(payload.toString()));
    else if (opcode === 2) this.onBinary(payload);
  });
  /** Cursor of the next stream byte; -1 before the first replay. */
  cursor = -1;
  replayDone = false;
  /** Stream bytes received (snapshot screens not counted). */
  received = 0;
  skipped: { from: number; to: number }[] = [];
  truncated = 0;
  /** Bytes the cursors say are missing without a skipped frame naming them (must stay 0). */
  gaps = 0;
  snapshots = 0;
  term?: Terminal;
  private screenNext = false;
  private afterScreen = false;
  onStream: (bytes: Uint8Array) => void = () => {};
  private readLimit: { bytesPerSec: number; start: number; read: number } | null = null;
  private resumeTimer?: Timer;

  constructor(port: number, path: string, opts: { render?: { cols: number; rows: number } } = {}) {
    if (opts.render) this.term = new Terminal({ ...opts.render, allowProposedApi: true, scrollback: 200 });
    this.socket = upgradeSocket(port, path);
    this.socket.on("data", (d: Buffer) => this.onData(d));
  }

  /** Reads at most this fast from now on (the socket is paused while over budget). */
  limitRate(bytesPerSec: number) {
    this.readLimit = { bytesPerSec, start: performance.now(), read: 0 };
  }

  pauseFor(ms: number) {
    this.socket.pause();
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.socket.resume(), ms);
  }

  send(text: string) {
    // a masked text frame (client → server frames must be masked; a zero mask keeps it simple)
    const payload = Buffer.from(text);
    const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.alloc(0);
    if (!head.length) throw new Error("short frames only");
    this.socket.write(Buffer.concat([head, Buffer.from([0, 0, 0, 0]), payload]));
  }

  close() {
    clearTimeout(this.resumeTimer);
    this.socket.destroy();
    this.term?.dispose();
  }

  /** Resolves once everything written to the xterm is parsed. */
  rendered(): Promise<void> {
    return new Promise((r) => (this.term ? this.term.write("", r) : r()));
  }

  screenLines(): string[] {
    const t = this.term as Terminal;
    const buf = t.buffer.active;
    return Array.from({ length: t.rows }, (_, y) => buf.getLine(buf.baseY + y)?.translateToString(true) ?? "");
  }

  private onData(d: Buffer) {
    if (this.readLimit) {
      const l = this.readLimit;
      l.read += d.length;
      const due = l.start + (l.read / l.bytesPerSec) * 1000;
      const wait = due - performance.now();
      if (wait > 1) this.pauseFor(wait);
    }
    this.frames.push(d);
  }

  private onText(m: { type: string; from?: number; to?: number; cursor?: number; truncated?: boolean }) {
    if (m.type === "replay_start") {
      const from = m.from as number;
      if (this.afterScreen) this.afterScreen = false;
      else if (this.cursor >= 0 && from > this.cursor) this.gaps += from - this.cursor;
      if (m.truncated && this.cursor >= 0) this.truncated += Math.max(0, from - this.cursor);
      this.cursor = from;
    } else if (m.type === "replay_end") this.replayDone = true;
    else if (m.type === "skipped") {
      const skip = { from: m.from as number, to: m.to as number };
      if (skip.from !== this.cursor) this.gaps += Math.abs(skip.from - this.cursor);
      this.skipped.push(skip);
    } else if (m.type === "snapshot") {
      this.screenNext = true;
      this.snapshots++;
      this.term?.reset();
    }
  }

  private onBinary(payload: Buffer) {
    if (this.screenNext) {
      this.screenNext = false;
      this.afterScreen = true;
      this.term?.write(new Uint8Array(payload));
      return;
    }
    this.cursor += payload.length;
    this.received += payload.length;
    this.term?.write(new Uint8Array(payload));
    this.onStream(payload);
  }
}
