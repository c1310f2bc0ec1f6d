import { plural, t } from "../i18n";
import { request } from "./api";

// The shapes of src/telegram (runtime.ts TelegramStatus, store.ts Link and ObservedChat), restated
// here because importing those modules' types would pull grammY's typings into the UI build.
export interface TelegramStatus {
  tokenSet: boolean;
  tokenSource: "env" | "file" | "unset";
  running: boolean;
  connected: boolean;
  username: string | null;
  lastPollAt: string | null;
  lastError: string | null;
  allowedChats: string[];
  sent: number;
  received: number;
}
export interface TelegramLink {
  chatId: string;
  sessionId: string;
  linkedAt: string;
}
export interface ObservedChat {
  chatId: string;
  kind: string;
  title: string | null;
  username: string | null;
  allowed: boolean;
  lastSeenAt: string;
}

export const telegramApi = {
  status: () => request<TelegramStatus>("GET", "/api/telegram/status"),
  recentChats: () => request<ObservedChat[]>("GET", "/api/telegram/recent-chats"),
  links: () => request<TelegramLink[]>("GET", "/api/telegram/links"),
  save: (body: { botToken?: string | null; allowedChatIds?: string[] }) =>
    request<TelegramStatus>("PUT", "/api/telegram/settings", body),
  test: () => request<{ sent: true; chat: string }>("POST", "/api/telegram/test", {}),
  unlink: (chatId: string) => request<{ removed: boolean }>("POST", "/api/telegram/unlink", { chatId }),
};

/**
 * The token works: Telegram answered getMe (the username is known). `connected` turns true only
 * when the first long poll returns, up to half a minute later.
 */
export const botReady = (s: TelegramStatus) => s.running && !s.lastError && (s.connected || s.username !== null);

/** One plain sentence about the bridge. */
export function telegramSummary(s: TelegramStatus): string {
  if (!s.tokenSet) return t("Not set up. Create a bot with @BotFather on Telegram, then paste its token here.");
  if (s.lastError) return t("The bot is not working: {error}", { error: s.lastError });
  if (!botReady(s)) return t("Connecting to Telegram…");
  const who = s.username ? `@${s.username}` : t("your bot");
  if (!s.allowedChats.length)
    return t("Connected as {who}. No chat may use it yet: send /whoami to the bot, then allow the chat below.", {
      who,
    });
  return plural(
    s.allowedChats.length,
    "Connected as {who}, answering {n} chat.",
    "Connected as {who}, answering {n} chats.",
    { who },
  );
}

export const chatName = (c: Pick<ObservedChat, "chatId" | "title" | "username">) =>
  c.title || (c.username ? `@${c.username}` : t("Chat {id}", { id: c.chatId }));
