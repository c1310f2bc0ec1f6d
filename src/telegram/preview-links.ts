import { log } from "../log";
import type { TelegramSessions } from "./deps";
import { escapeHtml } from "./text";

/**
 * `http://localhost:<port>` in a session's output points at the phone: such links to ports the
 * session serves become its preview links, in the text and as a clickable line after it (Telegram
 * links nothing inside a <pre> block).
 */
export async function withPreviewLinks(
  sessions: Pick<TelegramSessions, "previewLinks">,
  sessionId: string,
  text: string,
): Promise<{ text: string; footer?: string }> {
  if (!sessions.previewLinks) return { text };
  const r = await sessions.previewLinks(sessionId, text).catch((error) => {
    log.warn("telegram: preview links not made", { sessionId, error });
    return null;
  });
  if (!r?.links.length) return { text };
  const footer = r.links.map((l) => `🔗 <a href="${escapeHtml(l.url)}">Preview ${escapeHtml(l.printed)}</a>`);
  return { text: r.text, footer: footer.join("\n") };
}
