import { GrammyError } from "grammy";
import { log } from "../log";
import type { Bridge } from "./bridge";
import { withPreviewLinks } from "./preview-links";
import { screenLines } from "./screen";
import { sendOutput } from "./sender";
import type { Link } from "./store";
import { squeezeBlank, terminalLines } from "./text";

const RECENT_LINES = 200;
const BARE_PROMPT = /^\S{0,60}[$#%>❯]\s*$/;
// Cursor up/position or erase-display: the output is being redrawn in place, not appended.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences
const REDRAW = /\x1b\[[0-9;]*[ABHfJ]/;
const decoder = new TextDecoder();

/** The part of the bridge the relay uses; the relay is built before the bridge, which calls into it. */
export type RelayDeps = Pick<Bridge, "api" | "store" | "sessions" | "timings" | "queue" | "translator">;

/**
 * Streams a linked session's output to its chats in batches: the first output after a quiet spell
 * opens a window, the window's end sends what accumulated. Only whole lines go out until the session
 * goes idle (then the unfinished last line, such as a question without a newline, goes too). Lines
 * already sent to that chat recently and the echo of what was typed from Telegram are dropped.
 */
export class Relay {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private linkedSessions = new Set<string>();
  private recent = new Map<string, string[]>();
  private echoes = new Map<string, string[]>();

  constructor(private bridge: RelayDeps) {}

  /** Re-reads which sessions have a linked chat. */
  async load() {
    this.linkedSessions = new Set((await this.bridge.store.links()).map((l) => l.sessionId));
  }

  async refresh(sessionId: string) {
    const links = await this.bridge.store.linksOfSession(sessionId);
    if (links.length) this.linkedSessions.add(sessionId);
    else this.linkedSessions.delete(sessionId);
  }

  noteInput(sessionId: string, text: string) {
    const list = this.echoes.get(sessionId) ?? [];
    list.push(text.trim());
    this.echoes.set(sessionId, list.slice(-10));
  }

  onOutput(sessionId: string) {
    if (!this.linkedSessions.has(sessionId) || this.timers.has(sessionId)) return;
    this.timers.set(
      sessionId,
      setTimeout(() => {
        this.timers.delete(sessionId);
        this.flush(sessionId, false).catch((e) => log.warn("telegram relay failed", { sessionId, error: e }));
      }, this.bridge.timings.batchMs),
    );
  }

  /** Sends what is pending now; `final` includes the unfinished last line. Returns the chats it posted to. */
  async flush(sessionId: string, final: boolean): Promise<string[]> {
    if (!this.linkedSessions.has(sessionId)) return [];
    const timer = this.timers.get(sessionId);
    if (timer && final) {
      clearTimeout(timer);
      this.timers.delete(sessionId);
    }
    const links = await this.bridge.store.linksOfSession(sessionId);
    const posted = await Promise.all(
      links.map((l) => this.bridge.queue.run(l.chatId, () => this.flushLink(l.chatId, sessionId, final))),
    );
    return links.filter((_, i) => posted[i]).map((l) => l.chatId);
  }

  /** Drops what is remembered about a session that ended. */
  forget(sessionId: string) {
    this.echoes.delete(sessionId);
    for (const key of this.recent.keys()) if (key.endsWith(`:${sessionId}`)) this.recent.delete(key);
  }

  stop() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async flushLink(chatId: string, sessionId: string, final: boolean): Promise<boolean> {
    const link: Link | null = await this.bridge.store.linkOf(chatId);
    if (!link || link.sessionId !== sessionId) return false;
    const buf = await this.bridge.sessions.readBuffer(sessionId, link.relayCursor ?? undefined);
    if (buf.bytes.length === 0) return false;
    let lines: string[];
    let end = buf.cursor;
    const raw = decoder.decode(buf.bytes);
    if (this.bridge.sessions.screen && REDRAW.test(raw)) {
      // A full-screen program (an agent's TUI) redraws in place: what its screen shows is the output.
      lines = await screenLines(this.bridge, sessionId, 200);
    } else {
      let text = raw;
      if (!final) {
        const whole = buf.bytes.subarray(0, buf.bytes.lastIndexOf(0x0a) + 1);
        if (whole.length === 0) return false;
        end = buf.cursor - (buf.bytes.length - whole.length);
        text = decoder.decode(whole);
      }
      const parsed = terminalLines(text);
      lines = parsed.lines;
      if (parsed.partial && !BARE_PROMPT.test(parsed.partial.trim())) lines.push(parsed.partial);
    }
    const text = this.fresh(chatId, sessionId, lines).join("\n");
    let posted = false;
    if (text.replace(/\s/g, "").length >= 2) {
      try {
        const linked = await withPreviewLinks(this.bridge.sessions, sessionId, text);
        const ids = await sendOutput(this.bridge.api, chatId, linked.text, {
          footer: linked.footer,
          filename: `session-${sessionId.slice(0, 8)}.txt`,
          tr: await this.bridge.translator(chatId),
        });
        for (const messageId of ids)
          await this.bridge.store.recordMessage({ chatId, messageId, sessionId, kind: "relay" });
        posted = true;
      } catch (e) {
        // Keep the cursor so the next batch retries, unless Telegram refused this content for good.
        if (!(e instanceof GrammyError)) throw e;
        log.warn("telegram refused relayed output", { chatId, sessionId, error: e.description });
      }
    }
    await this.bridge.store.setRelayCursor(chatId, sessionId, end);
    return posted;
  }

  private fresh(chatId: string, sessionId: string, lines: string[]): string[] {
    const key = `${chatId}:${sessionId}`;
    const recent = this.recent.get(key) ?? [];
    const seen = new Set(recent);
    const echoes = this.echoes.get(sessionId) ?? [];
    const out: string[] = [];
    for (const line of lines) {
      const t = line.trim();
      if (t) {
        const echo = echoes.findIndex((e) => e && t.endsWith(e));
        if (echo >= 0) {
          echoes.splice(echo, 1);
          continue;
        }
        if (seen.has(t)) continue;
        seen.add(t);
        recent.push(t);
      }
      out.push(line);
    }
    this.recent.set(key, recent.slice(-RECENT_LINES));
    return squeezeBlank(out);
  }
}
