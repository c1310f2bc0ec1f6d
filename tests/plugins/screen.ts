import { ScreenHost, ScreenModel } from "../../src/screen/index";

// A screen worker of these tests' own: other test files keep using the shared one.
let host: ScreenHost | undefined;

/** Ends the screen worker (afterAll); the next AgentScreen starts a new one. */
export function closeScreens() {
  host?.terminate();
  host = undefined;
}

/** A session's real terminal as a phone sees it: the WebSocket's bytes rendered by a headless xterm. */
export class AgentScreen {
  private readonly ws: WebSocket;
  private readonly screen: ScreenModel;
  private cursor = 0;
  closed = false;
  exited = false;

  /** `since`: the byte cursor to start from (a restarted session: only what its new process prints). */
  constructor(baseUrl: string, sessionId: string, token: string, since = 0, cols = 120, rows = 40) {
    this.screen = new ScreenModel(cols, rows, 1000, { startCursor: since, host: (host ??= new ScreenHost()) });
    this.cursor = since;
    this.ws = new WebSocket(
      `${baseUrl.replace(/^http/, "ws")}/api/sessions/${sessionId}/ws?token=${token}&since=${since}`,
    );
    this.ws.binaryType = "arraybuffer";
    this.ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        const m = JSON.parse(e.data) as { type: string; from?: number };
        if (m.type === "replay_start" && typeof m.from === "number") this.cursor = m.from;
        if (m.type === "process_exit" || m.type === "exit") this.exited = true;
        return;
      }
      const bytes = new Uint8Array(e.data as ArrayBuffer);
      this.cursor += bytes.length;
      this.screen.write(bytes, this.cursor);
    };
    this.ws.onclose = () => {
      this.closed = true;
    };
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.addEventListener("open", () => resolve(), { once: true });
      this.ws.addEventListener("error", () => reject(new Error("websocket failed")), { once: true });
    });
  }

  async text(): Promise<string> {
    return (await this.screen.snapshot({ settled: true })).lines.join("\n");
  }

  /** Waits until the rendered screen satisfies `check`; fails with the screen as it is. */
  async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.text();
      if (check(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
      await Bun.sleep(100);
    }
  }

  waitForText(needle: string | RegExp, timeoutMs?: number) {
    return this.waitFor(
      (s) => (typeof needle === "string" ? s.includes(needle) : needle.test(s)),
      JSON.stringify(String(needle)),
      timeoutMs,
    );
  }

  /** Keystrokes, sent as raw PTY input (a binary frame), as the phone's keyboard does. */
  type(keys: string) {
    this.ws.send(new TextEncoder().encode(keys));
  }

  /** Types a prompt, then Enter once the TUI has echoed it (TUIs treat a pasted "\r" as a newline). */
  async submit(prompt: string) {
    this.type(prompt);
    await this.waitForText(prompt, 20_000);
    // Gemini CLI reads an Enter that follows typing within a few ms as part of a paste (a newline).
    await Bun.sleep(300);
    this.type("\r");
  }

  close() {
    this.ws.close();
    this.screen.dispose();
  }
}
