import { Composer } from "grammy";
import { type Bridge, findSession, sentMessage, sessionLabel, typeLine } from "./bridge";
import { reply, sessionArg } from "./commands";
import type { BotContext } from "./locale";
import { isLive } from "./resolve";
import { escapeHtml, shortId } from "./text";

// Key names as printed on keys (and in the /help line), the same in every language.
const KEYS: Record<string, { data: string; name: string }> = {
  cc: { data: "\x03", name: "Ctrl+C" },
  "ctrl+c": { data: "\x03", name: "Ctrl+C" },
  cd: { data: "\x04", name: "Ctrl+D" },
  "ctrl+d": { data: "\x04", name: "Ctrl+D" },
  tab: { data: "\t", name: "Tab" },
  enter: { data: "\r", name: "Enter" },
};

const YES = /^(y|yes|1|allow|approve|proceed)$/i;
const NO = /^(n|no|deny|reject|stop)$/i;

/** Links, keystrokes, and plain text typed into a session. */
export function chatComposer(bridge: Bridge) {
  const c = new Composer<BotContext>();
  const chatOf = (ctx: BotContext) => String(ctx.chat?.id);

  async function linkedSession(ctx: BotContext) {
    const link = await bridge.store.linkOf(chatOf(ctx));
    const session = link ? await findSession(bridge, link.sessionId) : null;
    if (!session) await reply(ctx, ctx.tr.t("This chat is not linked. Use /link &lt;id&gt; first."));
    return session;
  }

  c.command("link", async (ctx) => {
    const session = await sessionArg(bridge, ctx, String(ctx.match ?? "").trim(), "/link <id>");
    if (!session) return;
    if (!isLive(session))
      return void (await reply(ctx, ctx.tr.t("Session {label} is not running.", { label: sessionLabel(session) })));
    await bridge.store.link(chatOf(ctx), session.id, session.cursor);
    await bridge.onLinked();
    await reply(
      ctx,
      ctx.tr.t(
        "🔗 Linked this chat → session {label} <code>{id}</code>.\nPlain text now goes to it; its output comes here.",
        {
          label: sessionLabel(session),
          id: shortId(session.id),
        },
      ),
    );
  });

  c.command("unlink", async (ctx) => {
    const removed = await bridge.store.unlink(chatOf(ctx));
    await bridge.onLinked();
    await reply(
      ctx,
      removed
        ? ctx.tr.t("Unlinked from <code>{id}</code>.", { id: shortId(removed) })
        : ctx.tr.t("This chat was not linked."),
    );
  });

  c.command("links", async (ctx) => {
    const links = await bridge.store.links();
    if (!links.length) return void (await reply(ctx, ctx.tr.t("No links.")));
    const lines = await Promise.all(
      links.map(async (l) => {
        const s = await findSession(bridge, l.sessionId);
        return `<code>${l.chatId}</code> → ${s ? sessionLabel(s) : ctx.tr.t("(gone)")} <code>${shortId(l.sessionId)}</code>`;
      }),
    );
    await reply(ctx, `<b>${ctx.tr.t("Links")}</b>\n${lines.join("\n")}`);
  });

  c.hears(/^\/(cc|cd|tab|enter|ctrl\+c|ctrl\+d)(@\w+)?\s*$/i, async (ctx) => {
    const key = KEYS[(ctx.match[1] ?? "").toLowerCase()];
    const session = await linkedSession(ctx);
    if (!session || !key) return;
    await bridge.sessions.input(session.id, key.data, `tg:${ctx.update.update_id}`);
    await reply(ctx, `⌨ ${key.name} → ${sessionLabel(session)}`);
  });

  c.command(["yes", "y", "no", "n"], async (ctx) => {
    const yes = /^\/y/i.test(ctx.msg.text);
    const session = await linkedSession(ctx);
    if (!session) return;
    const prompt = bridge.sessions.prompt ? await bridge.sessions.prompt(session.id).catch(() => null) : null;
    const option = prompt?.options.find(
      (o) => (yes ? YES : NO).test(o.key) || (yes ? YES : NO).test(o.label.trim().split(/[\s,]/)[0] ?? ""),
    );
    if (prompt && option && bridge.sessions.answerPrompt) {
      await bridge.sessions.answerPrompt(session.id, prompt.id, [option.key]);
      await reply(
        ctx,
        ctx.tr.t("✅ Answered <b>{option}</b> → {label}", {
          option: escapeHtml(option.label),
          label: sessionLabel(session),
        }),
      );
      return;
    }
    await bridge.sessions.input(session.id, yes ? "yes\r" : "no\r", `tg:${ctx.update.update_id}`);
    await reply(ctx, `⌨ ${yes ? "yes" : "no"} → ${sessionLabel(session)}`);
  });

  c.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text;
    if (text.startsWith("/")) return next();
    const chatId = chatOf(ctx);
    const repliedTo = ctx.msg.reply_to_message?.message_id;
    const routed = repliedTo ? await sentMessage(bridge, chatId, repliedTo) : null;
    const link = await bridge.store.linkOf(chatId);
    const sessionId = routed?.sessionId ?? link?.sessionId;
    if (!sessionId)
      return void (await reply(
        ctx,
        ctx.tr.t("Not linked to a session. Use /link &lt;id&gt;, or reply to a notification."),
      ));
    const session = await findSession(bridge, sessionId);
    if (!session || !isLive(session)) return void (await reply(ctx, ctx.tr.t("That session is no longer running.")));
    if (!link || link.sessionId !== session.id) {
      // Replying to a notification links the chat to that session, so the answer's output comes back.
      await bridge.store.link(chatId, session.id, session.cursor);
      await bridge.onLinked();
    }
    await typeLine(bridge, session.id, text, `tg:${ctx.update.update_id}`);
    const bytes = new TextEncoder().encode(text).length;
    await reply(ctx, ctx.tr.t("✓ {n} bytes → <code>{id}</code>", { n: bytes, id: shortId(session.id) }));
  });

  c.on("message:text", (ctx) =>
    reply(
      ctx,
      ctx.tr.t("Unknown command: {command}\nTry /help.", { command: escapeHtml(ctx.msg.text.split(/\s/)[0] ?? "") }),
    ),
  );
  return c;
}
