import type { InlineKeyboard } from "grammy";
import type { HookEvent } from "../hooks/bus";
import { accountLimitNotice, duration, type Translator } from "../i18n";
import { log } from "../log";
import { ranFor } from "../shared/duration";
import { type Bridge, findSession, sessionLabel } from "./bridge";
import type { Prompt } from "./deps";
import { promptKeyboard, promptText, screenKeyboard, tickedKeys } from "./keyboards";
import { withPreviewLinks } from "./preview-links";
import type { Relay } from "./relay";
import { screenLines } from "./screen";
import { sendHtml } from "./sender";
import { escapeHtml } from "./text";

/**
 * Idle, exit and prompt notifications: to the chats linked to the session, else to the notify chat,
 * each in the language of the chat it goes to.
 */
export class Notifier {
  private lastIdle = new Map<string, number>();

  constructor(
    private bridge: Bridge,
    private relay: Relay,
  ) {}

  private async targets(sessionId: string): Promise<string[]> {
    const linked = (await this.bridge.store.linksOfSession(sessionId)).map((l) => l.chatId);
    const allowed = new Set(this.bridge.allowedChats());
    const chats = linked.filter((c) => allowed.has(c));
    if (chats.length) return chats;
    const notify = this.bridge.notifyChat();
    return notify ? [notify] : [];
  }

  /** Sends what `write` makes in the chat's language, and records it so replies and taps find the session. */
  private async send(
    chatId: string,
    sessionId: string,
    kind: "idle" | "exit" | "prompt" | "account",
    write: (tr: Translator) => { html: string; keyboard?: InlineKeyboard },
    prompt?: Prompt,
  ) {
    const { html, keyboard } = write(await this.bridge.translator(chatId));
    return this.bridge.queue.run(chatId, async () => {
      const ids = await sendHtml(this.bridge.api, chatId, html, { keyboard });
      const last = ids[ids.length - 1];
      if (last !== undefined)
        await this.bridge.store.recordMessage({
          chatId,
          messageId: last,
          sessionId,
          kind,
          prompt,
          picks: prompt && tickedKeys(prompt),
        });
    });
  }

  async onIdle(event: HookEvent<"onIdle">) {
    await this.relay.flush(event.sessionId, true);
    const now = Date.now();
    if (now - (this.lastIdle.get(event.sessionId) ?? 0) < this.bridge.timings.cooldownMs) return;
    // Linked chats already get the output; the idle notice is for the notify chat when nobody watches.
    if ((await this.bridge.store.linksOfSession(event.sessionId)).length) return;
    const chat = this.bridge.notifyChat();
    const session = await findSession(this.bridge, event.sessionId);
    if (!chat || !session || session.status === "exited") return;
    this.lastIdle.set(event.sessionId, now);
    const tail = (await screenLines(this.bridge, event.sessionId, 15)).join("\n");
    const linked = await withPreviewLinks(this.bridge.sessions, event.sessionId, tail.slice(-3000));
    await this.send(chat, session.id, "idle", (tr) => ({
      html:
        tr.t("🟡 Session {label} is <b>idle</b>", { label: sessionLabel(session) }) +
        (tail.trim() ? `\n<pre>${escapeHtml(linked.text)}</pre>` : "") +
        (linked.footer ? `\n${linked.footer}` : "") +
        `\n<i>${tr.t("Reply to this message → input goes to the session.")}</i>`,
      keyboard: screenKeyboard(tr, session.id),
    }));
  }

  async onStop(event: HookEvent<"onSessionStop">) {
    await this.relay.flush(event.sessionId, true);
    this.relay.forget(event.sessionId);
    this.lastIdle.delete(event.sessionId);
    const code = event.data.exitCode;
    const session = await findSession(this.bridge, event.sessionId);
    const icon = code === 0 ? "🟢" : code == null ? "⚪" : "🔴";
    const label = session ? sessionLabel(session) : `<code>${escapeHtml(event.sessionId.slice(0, 8))}</code>`;
    const ran = ranFor(session);
    const write = (tr: Translator) => {
      const status = code ?? tr.t("unknown");
      const html =
        ran === null
          ? tr.t("Session {label} exited (status: {status})", { label, status })
          : tr.t("Session {label} exited (status: {status}) after {ran}", { label, status, ran: duration(tr, ran) });
      return { html: `${icon} ${html}` };
    };
    await Promise.all((await this.targets(event.sessionId)).map((c) => this.send(c, event.sessionId, "exit", write)));
  }

  async onAccountLimit(event: HookEvent<"onAccountLimit">) {
    const session = await findSession(this.bridge, event.sessionId);
    const write = (tr: Translator) => ({
      html: `⏳ ${session ? sessionLabel(session) : tr.t("A session")}: ${escapeHtml(accountLimitNotice(tr, event.data))}`,
    });
    await Promise.all(
      (await this.targets(event.sessionId)).map((c) => this.send(c, event.sessionId, "account", write)),
    );
  }

  async onPrompt(event: HookEvent<"onPrompt">) {
    const prompt = event.data;
    await this.relay.flush(event.sessionId, true);
    const session = await findSession(this.bridge, event.sessionId);
    const full: Prompt = { ...prompt, sessionId: event.sessionId };
    const write = (tr: Translator) => ({
      html: promptText(tr, session ? sessionLabel(session) : tr.t("A session"), full),
      keyboard: promptKeyboard(tr, full),
    });
    await Promise.all(
      (await this.targets(event.sessionId)).map((c) => this.send(c, event.sessionId, "prompt", write, full)),
    );
  }

  /** A message an agent sent the person (the MCP notify_user tool); returns how many chats got it. */
  async message(sessionId: string, text: string): Promise<number> {
    const session = await findSession(this.bridge, sessionId);
    const write = (tr: Translator) => ({
      html: `💬 ${session ? sessionLabel(session) : tr.t("A session")}: ${escapeHtml(text.slice(0, 3500))}`,
    });
    const chats = await this.targets(sessionId);
    await Promise.all(chats.map((c) => this.send(c, sessionId, "idle", write)));
    return chats.length;
  }

  /** The prompt went away without a tap here (answered in the app or the terminal). */
  async onPromptCleared(event: HookEvent<"onPromptCleared">) {
    for (const m of await this.bridge.store.openPrompts(event.sessionId)) {
      if (!m.prompt || !(await this.bridge.store.closePrompt(m.chatId, m.messageId, "expired"))) continue;
      const session = await findSession(this.bridge, m.sessionId);
      const tr = await this.bridge.translator(m.chatId);
      const label = session ? sessionLabel(session) : tr.t("A session");
      const text = `${promptText(tr, label, m.prompt)}\n\n☑️ <i>${tr.t("Answered elsewhere.")}</i>`;
      await this.bridge.queue
        .run(m.chatId, () => this.bridge.api.editMessageText(m.chatId, m.messageId, text, { parse_mode: "HTML" }))
        .catch((e) => log.warn("telegram edit failed", { chatId: m.chatId, error: e }));
    }
  }
}
