import { Composer, type Context } from "grammy";
import type { Translator } from "../i18n";
import { type Bridge, sessionLabel, typeLine } from "./bridge";
import type { BotContext } from "./locale";
import { withPreviewLinks } from "./preview-links";
import { numbered, resolveRef } from "./resolve";
import { screenLines, tailLines } from "./screen";
import { sendHtml, sendOutput } from "./sender";
import { escapeHtml, shortId } from "./text";

/** /help; the command names and their arguments stay as typed, only what they do is translated. */
export const helpText = (tr: Translator) =>
  [
    `<b>${tr.t("OpenDray bot")}</b>`,
    `/status — ${tr.t("running sessions, numbered")}`,
    `/tail &lt;id&gt; [n] — ${tr.t("last n lines of output (default 40, max 200)")}`,
    `/screen [id] — ${tr.t("what the terminal shows now")}`,
    `/link &lt;id&gt; — ${tr.t("relay this chat ↔ a session")}; /unlink; /links`,
    `/send &lt;id&gt; &lt;text&gt; — ${tr.t("type text + Enter into a session")}`,
    `/stop &lt;id&gt; — ${tr.t("stop a session")}`,
    `/cc /cd /tab /enter — ${tr.t("Ctrl+C, Ctrl+D, Tab, Enter to the linked session")}`,
    `/yes /no — ${tr.t("answer the linked session's question")}`,
    `/whoami — ${tr.t("this chat's id")}`,
    "",
    tr.t("&lt;id&gt; is a /status number, a name, an agent type or an id prefix."),
    tr.t("In a linked chat plain text goes to the session; replying to a notification sends to its session."),
  ].join("\n");

export const reply = (ctx: Context, html: string) =>
  sendHtml(ctx.api, String(ctx.chat?.id), html, { replyTo: ctx.msg?.message_id });

/** Resolves the first argument to a session or answers why it could not. */
export async function sessionArg(bridge: Bridge, ctx: BotContext, ref: string | undefined, usage: string) {
  if (!ref) {
    await reply(ctx, ctx.tr.t("Usage: {usage}", { usage: escapeHtml(usage) }));
    return null;
  }
  const all = await bridge.sessions.list();
  const hit = resolveRef(ref, all, bridge.listed.get(String(ctx.chat?.id)));
  if (!hit) await reply(ctx, ctx.tr.t("No session matches <code>{ref}</code>. Try /status.", { ref: escapeHtml(ref) }));
  return hit;
}

const args = (ctx: Context) => String(ctx.match ?? "").trim();

export function commandsComposer(bridge: Bridge) {
  const c = new Composer<BotContext>();

  c.command(["start", "help"], (ctx) => reply(ctx, helpText(ctx.tr)));

  c.command(["status", "sessions"], async (ctx) => {
    const live = numbered(await bridge.sessions.list());
    bridge.listed.set(
      String(ctx.chat.id),
      live.map((s) => s.id),
    );
    if (!live.length) return void (await reply(ctx, ctx.tr.t("No running sessions.")));
    const lines = live.map(
      (s, i) =>
        `<code>${i + 1}</code> · ${sessionLabel(s)} <i>${s.status}</i>\n    <code>${shortId(s.id)}</code> ${escapeHtml(s.cwd)}`,
    );
    await reply(ctx, `<b>${ctx.tr.t("Sessions")}</b>\n${lines.join("\n")}`);
  });

  c.command("tail", async (ctx) => {
    const [ref, n] = args(ctx).split(/\s+/);
    const session = await sessionArg(bridge, ctx, ref, "/tail <id> [n]");
    if (!session) return;
    const count = Math.min(Math.max(Number(n) || 40, 1), 200);
    const lines = await tailLines(bridge, session.id, count);
    const linked = await withPreviewLinks(bridge.sessions, session.id, lines.join("\n") || ctx.tr.t("(no output yet)"));
    await sendOutput(ctx.api, String(ctx.chat.id), linked.text, {
      footer: linked.footer,
      header: `📜 ${ctx.tr.plural(count, "{label} — last line", "{label} — last {n} lines", { label: sessionLabel(session) })}`,
      replyTo: ctx.msg?.message_id,
      tr: ctx.tr,
    });
  });

  c.command("screen", async (ctx) => {
    const ref = args(ctx);
    let id = ref;
    if (!ref) {
      const link = await bridge.store.linkOf(String(ctx.chat.id));
      if (!link) return void (await reply(ctx, ctx.tr.t("Usage: /screen &lt;id&gt; (or /link a session first)")));
      id = link.sessionId;
    }
    const session = await sessionArg(bridge, ctx, id, "/screen <id>");
    if (!session) return;
    const lines = await screenLines(bridge, session.id, 120);
    const linked = await withPreviewLinks(bridge.sessions, session.id, lines.join("\n") || ctx.tr.t("(empty screen)"));
    await sendOutput(ctx.api, String(ctx.chat.id), linked.text, {
      footer: linked.footer,
      header: `📺 ${sessionLabel(session)}`,
      replyTo: ctx.msg?.message_id,
      tr: ctx.tr,
    });
  });

  c.command("send", async (ctx) => {
    const text = args(ctx);
    const space = text.search(/\s/);
    const ref = space < 0 ? text : text.slice(0, space);
    const body = space < 0 ? "" : text.slice(space + 1);
    if (!body) return void (await reply(ctx, ctx.tr.t("Usage: {usage}", { usage: "/send &lt;id&gt; &lt;text&gt;" })));
    const session = await sessionArg(bridge, ctx, ref, "/send <id> <text>");
    if (!session) return;
    await typeLine(bridge, session.id, body, `tg:${ctx.update.update_id}`);
    const bytes = new TextEncoder().encode(body).length + 1;
    await reply(ctx, ctx.tr.t("➡ Sent {n} bytes to {label}", { n: bytes, label: sessionLabel(session) }));
  });

  c.command("stop", async (ctx) => {
    const session = await sessionArg(bridge, ctx, args(ctx).split(/\s+/)[0], "/stop <id>");
    if (!session) return;
    await bridge.sessions.stop(session.id);
    await reply(ctx, ctx.tr.t("✅ Stopped session <code>{id}</code>.", { id: shortId(session.id) }));
  });

  return c;
}
