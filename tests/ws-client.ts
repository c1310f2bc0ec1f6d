/** A WebSocket client that follows OpenDray's session protocol and tracks the byte cursor. */
export class SessionSocket {
  readonly ws: WebSocket;
  readonly messages: Record<string, any>[] = [];
  private chunks: Uint8Array[] = [];
  cursor = -1;
  replayFrom = -1;
  replayDone = false;
  closed = false;
  /** Screens sent as `snapshot` frames (not part of the byte stream). */
  readonly screens: string[] = [];
  private screenNext = false;
  /** The last 64 KiB of output as text, and the screens: cheap to look for a marker in during a flood. */
  recent = "";
  private waiters: (() => void)[] = [];

  constructor(baseUrl: string, sessionId: string, token: string, params: Record<string, string | number> = {}) {
    const q = new URLSearchParams({
      token,
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    });
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/sessions/${sessionId}/ws?${q}`);
    this.ws.binaryType = "arraybuffer";
    this.ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        const m = JSON.parse(e.data);
        this.messages.push(m);
        if (m.type === "replay_start") this.replayFrom = this.cursor < 0 ? m.from : this.replayFrom;
        if (m.type === "replay_start" && (this.cursor < 0 || this.replayDone)) this.cursor = m.from;
        if (m.type === "snapshot") this.screenNext = true;
        if (m.type === "replay_end") {
          this.cursor = m.cursor;
          this.replayDone = true;
        }
      } else {
        const bytes = new Uint8Array(e.data as ArrayBuffer);
        if (this.screenNext) {
          this.screenNext = false;
          this.screens.push(new TextDecoder().decode(bytes));
          this.recent = (this.recent + this.screens.at(-1)).slice(-65536);
          return this.notify();
        }
        this.chunks.push(bytes);
        this.recent = (this.recent + new TextDecoder().decode(bytes.subarray(-65536))).slice(-65536);
        if (this.replayDone) this.cursor += bytes.length;
      }
      this.notify();
    };
    this.ws.onclose = () => {
      this.closed = true;
      this.notify();
    };
  }

  private notify() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get text(): string {
    return new TextDecoder().decode(this.bytes);
  }

  get bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  async until(check: (s: this) => boolean, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.text.slice(-500))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  opened() {
    return new Promise<void>((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.addEventListener("open", () => resolve(), { once: true });
      this.ws.addEventListener("error", () => reject(new Error("websocket failed")), { once: true });
    });
  }

  send(data: string | Uint8Array<ArrayBuffer> | Record<string, unknown>) {
    this.ws.send(typeof data === "object" && !(data instanceof Uint8Array) ? JSON.stringify(data) : data);
  }

  close() {
    this.ws.close();
  }
}
