import type { ClientFrame, ServerFrame } from "../../../src/sessions/protocol";
import { t } from "../i18n";

export type { ServerFrame } from "../../../src/sessions/protocol";

/**
 * One session's output stream over the WebSocket, resumable from a byte cursor.
 *
 * Every binary frame covers a known byte range of the session's output: a replay segment starts at
 * `replay_start.from`, live frames continue from `replay_end.cursor`. Bytes before our cursor are
 * dropped, so a reconnect never shows anything twice. A client that falls too far behind a flood is
 * sent `skipped` (the range it will not get, loadable from the buffer route), the server's screen as
 * a `snapshot`, and continues from the screen's cursor.
 * Input carries ids; unacknowledged input is re-sent after a reconnect and the server applies each
 * id once, so keys typed while offline arrive exactly once.
 */
export type ConnectionState = "connecting" | "open" | "offline" | "reconnecting" | "exited" | "closed";

export interface TerminalSocketOptions {
  url: (params: { since?: number; mode?: "snapshot" }) => string;
  /** Where the first attach starts: the last part of a long output instead of all of it. */
  firstSince?: number;
  /** The screen was already drawn up to this byte (from a server-side snapshot): continue from there. */
  startCursor?: number;
  onOutput: (bytes: Uint8Array) => void;
  onEvent?: (event: ServerFrame) => void;
  onState?: (state: ConnectionState) => void;
  /** Called before a fresh snapshot is written (the screen must be cleared first). */
  onReset?: () => void;
  /** Output bytes [from, to) were skipped (a screen snapshot stands in for them). */
  onSkipped?: (from: number, to: number) => void;
  /** Asked after an unexpected close whether the session still runs; false stops reconnecting. */
  stillRunning?: () => Promise<boolean>;
  maxBackoffMs?: number;
  /** The retry cap while the page is visible: someone is looking at the banner. */
  visibleBackoffMs?: number;
  /** How many typed inputs wait for the server's acknowledgement (queued while offline). */
  onQueue?: (count: number) => void;
}

interface PendingInput {
  id: string;
  data: string;
}

let idCounter = 0;
const newId = () =>
  `${Date.now().toString(36)}-${(idCounter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export class TerminalSocket {
  /** Byte offset just past the last byte written to the screen; null before the first replay. */
  cursor: number | null = null;
  state: ConnectionState = "connecting";
  private ws: WebSocket | null = null;
  /** Stream offset of the next binary frame. */
  private position = 0;
  private snapshot = false;
  /** A `snapshot` frame was announced: the next binary frame is the screen. */
  private screenNext = false;
  /** A screen was drawn: the next replay starts where it left off. */
  private afterScreen = false;
  private pending: PendingInput[] = [];
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private everOpen = false;
  private size: { cols: number; rows: number } | null = null;

  constructor(private readonly opts: TerminalSocketOptions) {
    if (opts.startCursor !== undefined) this.cursor = opts.startCursor;
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    document.addEventListener("visibilitychange", this.onVisible);
  }

  get queued(): number {
    return this.pending.length;
  }

  connect() {
    if (this.disposed) return;
    this.clearTimer();
    if (!navigator.onLine) return this.setState("offline");
    this.setState(this.everOpen ? "reconnecting" : "connecting");
    this.snapshot = this.cursor === null;
    const ws = new WebSocket(
      this.opts.url(this.snapshot ? { mode: "snapshot", since: this.opts.firstSince } : { since: this.cursor ?? 0 }),
    );
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      if (this.size) this.raw({ type: "resize", ...this.size });
      for (const p of this.pending) this.raw({ type: "input", data: p.data, id: p.id });
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws) return;
      if (typeof e.data === "string") this.onText(e.data);
      else this.onBinary(new Uint8Array(e.data as ArrayBuffer));
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearPing();
      if (this.disposed || this.state === "exited") return;
      if (e.code === 4404) return this.setState("closed"); // the session is gone
      void this.afterClose();
    };
  }

  /** Sends keystrokes now, or as soon as the socket is back. */
  send(data: string) {
    if (!data) return;
    const item = { id: newId(), data };
    this.pending.push(item);
    this.opts.onQueue?.(this.pending.length);
    this.raw({ type: "input", data, id: item.id });
  }

  /** The size this screen would fit; `fit` asks to become the session's size owner. */
  resize(cols: number, rows: number, fit = false) {
    this.size = { cols, rows };
    this.raw({ type: "resize", cols, rows, ...(fit ? { fit } : {}) });
  }

  /** Reconnects now (after a restart of the session, or a tap on "retry"). */
  retry() {
    this.attempt = 0;
    this.ws?.close();
    this.ws = null;
    this.connect();
  }

  dispose() {
    this.disposed = true;
    this.clearTimer();
    this.clearPing();
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    document.removeEventListener("visibilitychange", this.onVisible);
    this.ws?.close();
    this.ws = null;
    this.setState("closed");
  }

  private onText(text: string) {
    let msg: ServerFrame;
    try {
      msg = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    switch (msg.type) {
      case "skipped":
        this.opts.onSkipped?.(msg.from, msg.to);
        break;
      case "snapshot":
        this.opts.onReset?.();
        this.screenNext = true;
        break;
      case "replay_start": {
        this.position = msg.from;
        if (this.afterScreen) {
          this.afterScreen = false;
          this.cursor = msg.from;
        } else if (this.snapshot) this.opts.onReset?.();
        else if (msg.truncated && this.cursor !== null && this.position > this.cursor) {
          this.opts.onOutput(
            new TextEncoder().encode(`\r\n\x1b[2m[${t("… earlier output no longer kept …")}]\x1b[0m\r\n`),
          );
          this.cursor = this.position;
        }
        break;
      }
      case "replay_end": {
        const cursor = msg.cursor;
        this.position = cursor;
        this.cursor = Math.max(this.cursor ?? 0, cursor);
        this.snapshot = false;
        this.everOpen = true;
        if (this.state !== "open") this.setState("open");
        break;
      }
      case "ack":
      case "error":
        // An input the server refused (session not running…) is not retried forever.
        if (msg.id) {
          this.pending = this.pending.filter((p) => p.id !== msg.id);
          this.opts.onQueue?.(this.pending.length);
        }
        break;
      case "pong":
        this.clearPing();
        break;
      case "exit":
        this.setState("exited");
        break;
      case "running":
        if (this.state === "exited") this.setState("open");
        break;
    }
    this.opts.onEvent?.(msg);
  }

  private onBinary(bytes: Uint8Array) {
    if (this.screenNext) {
      // the screen as of the next replay's start; its bytes are not part of the stream
      this.screenNext = false;
      this.afterScreen = true;
      this.opts.onOutput(bytes);
      return;
    }
    if (this.snapshot) {
      // A snapshot redraws the screen; its bytes do not map onto the stream's offsets.
      this.opts.onOutput(bytes);
      return;
    }
    const start = this.position;
    const end = start + bytes.length;
    this.position = end;
    const cursor = this.cursor ?? start;
    if (end <= cursor) return;
    this.opts.onOutput(cursor > start ? bytes.subarray(cursor - start) : bytes);
    this.cursor = end;
  }

  private async afterClose() {
    if (!navigator.onLine) return this.setState("offline");
    this.setState("reconnecting");
    if (this.opts.stillRunning) {
      const running = await this.opts.stillRunning().catch(() => true);
      if (this.disposed) return;
      if (!running) return this.setState("exited");
    }
    this.schedule();
  }

  private schedule() {
    this.clearTimer();
    const max =
      document.visibilityState === "visible"
        ? (this.opts.visibleBackoffMs ?? 3_000)
        : (this.opts.maxBackoffMs ?? 10_000);
    const delay = Math.min(max, 400 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private raw(msg: ClientFrame) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    this.opts.onState?.(state);
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onOnline = () => {
    if (this.state === "offline" || this.state === "reconnecting") {
      this.attempt = 0;
      this.connect();
    }
  };

  private onOffline = () => {
    if (this.state === "exited" || this.disposed) return;
    // Phones keep dead sockets around for minutes; drop it now and resume from the cursor later.
    this.ws?.close();
    this.ws = null;
    this.clearTimer();
    this.setState("offline");
  };

  private clearPing() {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }

  private onVisible = () => {
    if (document.visibilityState !== "visible" || this.disposed) return;
    if (this.state === "open" && this.ws && !this.pingTimer) {
      // After the phone slept the socket may be dead without a close event: probe it.
      const ws = this.ws;
      this.raw({ type: "ping" });
      this.pingTimer = setTimeout(() => {
        this.pingTimer = null;
        if (this.ws === ws) ws.close();
        if (this.ws === ws) {
          this.ws = null;
          void this.afterClose();
        }
      }, 4000);
      return;
    }
    if (this.state === "reconnecting" || this.state === "offline") {
      this.attempt = 0;
      this.connect();
    }
  };
}
