import { Composer, InlineKeyboard } from "grammy";
import type { Translator } from "../i18n";
import { log } from "../log";
import type { Bridge } from "./bridge";
import { findSession, sentMessage, sessionLabel } from "./bridge";
import type { Prompt } from "./deps";
import type { BotContext } from "./locale";
import { withPreviewLinks } from "./preview-links";
import { screenLines } from "./screen";
import { sendOutput } from "./sender";
import { escapeHtml, truncate } from "./text";

// Callback data (≤ 64 bytes): the tapped message carries the session and prompt (telegram_messages),
// so buttons only say what was tapped: o:<i> answer option i, t:<i> toggle, sub submit, scr:<sid>.
export const screenButton = (tr: Translator, sessionId: string) => ({
  text: tr.t("📺 Screen"),
  callback_data: `scr:${sessionId}`,
});

/** A keyboard of the Screen button alone. */
export function screenKeyboard(tr: Translator, sessionId: string): InlineKeyboard {
  const b = screenButton(tr, sessionId);
  return new InlineKeyboard().text(b.text, b.callback_data);
}

/** The options ticked on the agent's screen: a multi-select's starting picks. */
export const tickedKeys = (prompt: Prompt) => prompt.options.filter((o) => o.checked).map((o) => o.key);

/** The prompt's options as buttons (its texts as the agent wrote them), then Submit and Screen. */
export function promptKeyboard(tr: Translator, prompt: Prompt, picks = tickedKeys(prompt)): InlineKeyboard {
  const kb = new InlineKeyboard();
  const options = prompt.options.slice(0, 9);
  const wide = options.some((o) => Array.from(o.label).length > 25);
  options.forEach((o, i) => {
    const label = truncate(`${o.key}. ${o.label}`, 30);
    if (prompt.multi) kb.text(`${picks.includes(o.key) ? "☑" : "☐"} ${label}`, `t:${i}`);
    else kb.text(label, `o:${i}`);
    if (wide || i % 3 === 2) kb.row();
  });
  if (options.length && !wide && options.length % 3 !== 0) kb.row();
  if (prompt.multi) kb.text(tr.t("✅ Submit"), "sub");
  const screen = screenButton(tr, prompt.sessionId);
  return kb.text(screen.text, screen.callback_data);
}

export function promptText(tr: Translator, label: string, prompt: Prompt): string {
  const hint = prompt.options.length ? "" : `\n\n${tr.t("💬 Reply to this message to answer.")}`;
  return `${tr.t("❓ {label} asks:", { label })}\n\n${escapeHtml(prompt.question)}${hint}`;
}

const expiredText = (tr: Translator, label: string, prompt: Prompt) =>
  `${promptText(tr, label, prompt)}\n\n⌛ <i>${tr.t("Expired: the prompt is no longer open.")}</i>`;

export function keyboardComposer(bridge: Bridge) {
  const c = new Composer<BotContext>();

  c.callbackQuery(/^scr:(.+)$/, async (ctx) => {
    const sessionId = ctx.match[1] as string;
    const chatId = String(ctx.chat?.id);
    const session = await findSession(bridge, sessionId);
    if (!session) return void (await ctx.answerCallbackQuery({ text: ctx.tr.t("Session is gone") }));
    await ctx.answerCallbackQuery({ text: ctx.tr.t("Screen") });
    const lines = await screenLines(bridge, sessionId, 60);
    const linked = await withPreviewLinks(bridge.sessions, sessionId, lines.join("\n") || ctx.tr.t("(empty screen)"));
    await bridge.queue.run(chatId, () =>
      sendOutput(ctx.api, chatId, linked.text, {
        header: `📺 ${sessionLabel(session)}`,
        footer: linked.footer,
        tr: ctx.tr,
      }),
    );
  });

  c.callbackQuery(/^(o|t):(\d)$|^sub$/, async (ctx) => {
    const chatId = String(ctx.chat?.id);
    const messageId = ctx.callbackQuery.message?.message_id;
    const row = messageId ? await sentMessage(bridge, chatId, messageId) : null;
    const prompt = row?.prompt;
    if (!row || !prompt || !messageId || row.state !== "open") {
      return void (await ctx.answerCallbackQuery({ text: ctx.tr.t("Already answered or expired") }));
    }
    const current = bridge.sessions.prompt ? await bridge.sessions.prompt(row.sessionId).catch(() => null) : prompt;
    const session = await findSession(bridge, row.sessionId);
    const label = session ? sessionLabel(session) : ctx.tr.t("the session");
    if (!current || current.id !== prompt.id) {
      await bridge.store.closePrompt(chatId, messageId, "expired");
      await ctx.answerCallbackQuery({ text: ctx.tr.t("Expired") });
      await ctx.editMessageText(expiredText(ctx.tr, label, prompt), { parse_mode: "HTML" });
      return;
    }
    const kind = ctx.match[1];
    const index = Number(ctx.match[2]);
    if (kind === "t") {
      const key = prompt.options[index]?.key;
      if (key === undefined) return void (await ctx.answerCallbackQuery());
      const picks = row.picks.includes(key) ? row.picks.filter((k) => k !== key) : [...row.picks, key];
      await bridge.store.setPicks(chatId, messageId, picks);
      await ctx.answerCallbackQuery({
        text: `${picks.includes(key) ? "☑" : "☐"} ${truncate(prompt.options[index]?.label ?? key, 40)}`,
      });
      await ctx.editMessageReplyMarkup({ reply_markup: promptKeyboard(ctx.tr, prompt, picks) });
      return;
    }
    const keys = kind === "o" ? [prompt.options[index]?.key].filter((k): k is string => k !== undefined) : row.picks;
    if (keys.length === 0) return void (await ctx.answerCallbackQuery({ text: ctx.tr.t("Pick at least one option") }));
    if (!(await bridge.store.closePrompt(chatId, messageId, "answered"))) {
      return void (await ctx.answerCallbackQuery({ text: ctx.tr.t("Already answered or expired") }));
    }
    try {
      if (bridge.sessions.answerPrompt) await bridge.sessions.answerPrompt(row.sessionId, prompt.id, keys);
      else await bridge.sessions.input(row.sessionId, `${keys.join(" ")}\r`, `tg:cb:${ctx.callbackQuery.id}`);
    } catch (e) {
      log.warn("telegram prompt answer failed", { sessionId: row.sessionId, error: e });
      await bridge.store.closePrompt(chatId, messageId, "expired");
      await ctx.answerCallbackQuery({ text: ctx.tr.t("Expired") });
      await ctx.editMessageText(expiredText(ctx.tr, label, prompt), { parse_mode: "HTML" });
      return;
    }
    const chosen = keys.map((k) => prompt.options.find((o) => o.key === k)?.label ?? k).join(", ");
    await ctx.answerCallbackQuery({ text: truncate(chosen, 60) });
    const done = prompt.multi ? ctx.tr.t("Submitted:") : ctx.tr.t("Chosen:");
    await ctx.editMessageText(`${promptText(ctx.tr, label, prompt)}\n\n✅ <b>${done}</b> ${escapeHtml(chosen)}`, {
      parse_mode: "HTML",
      reply_markup: screenKeyboard(ctx.tr, row.sessionId),
    });
  });

  c.on("callback_query:data", (ctx) => ctx.answerCallbackQuery({ text: ctx.tr.t("Unknown button") }));
  return c;
}
