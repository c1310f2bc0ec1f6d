import { Composer } from "grammy";
import { log } from "../log";
import type { Bridge } from "./bridge";
import { reply } from "./commands";

/** Records every chat, answers /whoami anywhere, and lets only allowlisted chats further in. */
export function accessComposer(bridge: Bridge) {
  const c = new Composer();

  c.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) return;
    const allowed = bridge.allowedChats().includes(String(chat.id));
    await bridge.store.observeChat(chat, allowed).catch((e) => log.warn("telegram chat record failed", { error: e }));
    if (ctx.msg?.text && /^\/whoami(@\w+)?(\s|$)/i.test(ctx.msg.text)) {
      const who = ctx.from
        ? `\nYou: ${ctx.from.first_name}${ctx.from.username ? ` (@${ctx.from.username})` : ""}, user id <code>${ctx.from.id}</code>`
        : "";
      await reply(
        ctx,
        `This chat's id: <code>${chat.id}</code> (${chat.type})${who}\n${allowed ? "✅ Allowed." : "⛔ Not on the allowlist."}`,
      );
      return;
    }
    if (allowed) return next();
    log.warn("telegram chat refused", { chatId: chat.id, chatType: chat.type });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: "This chat is not allowed." });
    else if (ctx.msg)
      await reply(
        ctx,
        `Sorry, this chat is not allowed to control OpenDray.\nAsk the owner to add chat id <code>${chat.id}</code> to the allowlist (/whoami shows it).`,
      );
  });

  return c;
}
