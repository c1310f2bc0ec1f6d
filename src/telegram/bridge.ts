import type { Api } from "grammy";
import type { Translator } from "../i18n";
import type { SessionView } from "../sessions/model";
import type { TelegramSessions, TelegramTimings } from "./deps";
import { type ChatQueue, sleep } from "./sender";
import type { TelegramStore } from "./store";
import { escapeHtml, shortId } from "./text";

/** Everything the bot's composers and the relay/notifier share while one bot token is running. */
export interface Bridge {
  api: Api;
  store: TelegramStore;
  sessions: TelegramSessions;
  timings: TelegramTimings;
  queue: ChatQueue;
  closing: AbortSignal;
  allowedChats(): string[];
  /** Where idle/exit notifications go when no chat is linked to the session: the first allowed chat. */
  notifyChat(): string | undefined;
  /** Session ids as each chat last saw them in /status, for numeric references. */
  listed: Map<string, string[]>;
  /** Text typed from Telegram, so the relay can drop the terminal's echo of it. */
  noteInput(sessionId: string, text: string): void;
  /** Called after a link is made or removed. */
  onLinked(): Promise<void>;
  /** The language to write to a chat in (see chatLanguages). */
  translator(chatId: string): Promise<Translator>;
}

export const sessionLabel = (s: SessionView) =>
  `<b>${escapeHtml(s.name || shortId(s.id))}</b> (${escapeHtml(s.sessionType)})`;

/** Text + Enter, sent as two writes: TUIs read text and \r arriving together as a paste. */
export async function typeLine(bridge: Bridge, sessionId: string, text: string, inputId: string) {
  await bridge.sessions.input(sessionId, text, inputId);
  await sleep(bridge.timings.enterDelayMs, bridge.closing);
  await bridge.sessions.input(sessionId, "\r", `${inputId}:enter`);
  bridge.noteInput(sessionId, text);
}

/** The bot's record of a message it sent; waits for the chat's queue when the record may still be being written. */
export async function sentMessage(bridge: Bridge, chatId: string, messageId: number) {
  const row = await bridge.store.message(chatId, messageId);
  if (row) return row;
  await bridge.queue.settled(chatId);
  return bridge.store.message(chatId, messageId);
}

export async function findSession(bridge: Bridge, id: string): Promise<SessionView | null> {
  try {
    return await bridge.sessions.get(id);
  } catch {
    return null;
  }
}
