import type { Context, MiddlewareFn } from "grammy";
import { english, localeOfTag, type Translator, translator } from "../i18n";

/** An update's context, with the language its answers are written in. */
export type BotContext = Context & { tr: Translator };

/**
 * The language the bot writes to a chat in. An allowed chat is the OpenDray user's: their choice in
 * the web UI, else their Telegram app's language (the last one seen in that chat), else English. A
 * chat that is not allowed is a stranger's: their app's language only.
 */
export function chatLanguages(deps: { stored(): Promise<Translator["locale"] | null>; allowedChats(): string[] }) {
  const seen = new Map<string, string>();
  return async (chatId: string, languageCode?: string): Promise<Translator> => {
    if (languageCode) seen.set(chatId, languageCode);
    const own = deps.allowedChats().includes(chatId) ? await deps.stored().catch(() => null) : null;
    return translator(own ?? localeOfTag(seen.get(chatId)) ?? "en");
  };
}

/** Sets `ctx.tr` for every later handler of the update. */
export const localeMiddleware =
  (languageOf: (chatId: string, languageCode?: string) => Promise<Translator>): MiddlewareFn<BotContext> =>
  async (ctx, next) => {
    ctx.tr = ctx.chat ? await languageOf(String(ctx.chat.id), ctx.from?.language_code) : english;
    await next();
  };
