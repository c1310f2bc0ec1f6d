import { Composer } from "grammy";
import { log } from "../log";
import type { Bridge } from "./bridge";
import { reply } from "./commands";
import type { BotContext } from "./locale";
import { escapeHtml } from "./text";

/** Records every chat, answers /whoami anywhere, and lets only allowlisted chats further in. */
export function accessComposer(bridge: Bridge) {
  const c = new Composer<BotContext>();

  c.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) return;
    const allowed = bridge.allowedChats().includes(String(chat.id));
    await bridge.store.observeChat(chat, allowed).catch((e) => log.warn("telegram chat record failed", { error: e }));
    if (ctx.msg?.text && /^\/whoami(@\w+)?(\s|$)/i.test(ctx.msg.text)) {
      const { tr } = ctx;
      const from = ctx.from;
      const name = from && escapeHtml(from.first_name + (from.username ? ` (@${from.username})` : ""));
      const who = from && name ? `\n${tr.t("You: {name}, user id <code>{id}</code>", { name, id: from.id })}` : "";
      await reply(
        ctx,
        `${tr.t("This chat's id: <code>{id}</code> ({type})", { id: chat.id, type: chat.type })}${who}\n${allowed ? tr.t("✅ Allowed.") : tr.t("⛔ Not on the allowlist.")}`,
      );
      return;
    }
    if (allowed) return next();
    log.warn("telegram chat refused", { chatId: chat.id, chatType: chat.type });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.tr.t("This chat is not allowed.") });
    else if (ctx.msg)
      await reply(
        ctx,
        ctx.tr.t(
          "Sorry, this chat is not allowed to control OpenDray.\nAsk the owner to add chat id <code>{id}</code> to the allowlist (/whoami shows it).",
          { id: chat.id },
        ),
      );
  });

  return c;
}
