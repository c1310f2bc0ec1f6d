import type { Context, MiddlewareFn } from "grammy";
import { english, localeOfTag, type Translator, translator } from "../i18n";
import { log } from "../log";

/** An update's context, with the language its answers are written in. */
export type BotContext = Context & { tr: Translator };

/** Where the last `language_code` of each chat is kept, for a restart (telegram_chat_languages). */
export interface KeptLanguages {
  chatLanguage(chatId: string): Promise<string | null>;
  rememberChatLanguage(chatId: string, languageCode: string): Promise<void>;
}

/**
 * The language the bot writes to a chat in. An allowed chat is the OpenDray user's: their choice in
 * the web UI, else their Telegram app's language (the last one seen in that chat), else English. A
 * chat that is not allowed is a stranger's: their app's language only.
 */
export function chatLanguages(deps: {
  stored(): Promise<Translator["locale"] | null>;
  allowedChats(): string[];
  kept?: KeptLanguages;
}) {
  /** The last language_code of each chat; null: none (the kept one is read back once). */
  const seen = new Map<string, string | null>();
  const lastSeen = async (chatId: string): Promise<string | null> => {
    if (seen.has(chatId) || !deps.kept) return seen.get(chatId) ?? null;
    const kept = await deps.kept.chatLanguage(chatId).catch((error) => {
      log.warn("a chat's Telegram language could not be read back", { chat: chatId, error });
      return null;
    });
    if (!seen.has(chatId)) seen.set(chatId, kept);
    return seen.get(chatId) ?? null;
  };
  return async (chatId: string, languageCode?: string): Promise<Translator> => {
    const allowed = deps.allowedChats().includes(chatId);
    // written only when it changes (nearly every update carries the same language_code), and never for a
    // stranger's chat: a stranger is answered in the language of the update itself
    if (languageCode && seen.get(chatId) !== languageCode) {
      seen.set(chatId, languageCode);
      if (allowed)
        await deps.kept
          ?.rememberChatLanguage(chatId, languageCode)
          .catch((error) => log.warn("a chat's Telegram language is kept in memory only", { chat: chatId, error }));
    }
    const own = allowed ? await deps.stored().catch(() => null) : null;
    return translator(own ?? localeOfTag(languageCode ?? (await lastSeen(chatId))) ?? "en");
  };
}

/** Sets `ctx.tr` for every later handler of the update. */
export const localeMiddleware =
  (languageOf: (chatId: string, languageCode?: string) => Promise<Translator>): MiddlewareFn<BotContext> =>
  async (ctx, next) => {
    ctx.tr = ctx.chat ? await languageOf(String(ctx.chat.id), ctx.from?.language_code) : english;
    await next();
  };
