import type { Sql } from "postgres";
import type { Prompt } from "./deps";

export interface Link {
  chatId: string;
  sessionId: string;
  linkedAt: string;
  relayCursor: number | null;
}

export interface SentMessage {
  chatId: string;
  messageId: number;
  sessionId: string;
  kind: "idle" | "exit" | "prompt" | "relay" | "screen" | "account";
  prompt: Prompt | null;
  picks: string[];
  state: "open" | "answered" | "expired";
}

export interface ObservedChat {
  chatId: string;
  kind: string;
  title: string | null;
  username: string | null;
  allowed: boolean;
  lastSeenAt: string;
}

interface LinkRow {
  chatId: number;
  sessionId: string;
  linkedAt: Date;
  relayCursor: number | null;
}

interface MessageRow {
  chatId: number;
  messageId: number;
  sessionId: string;
  kind: SentMessage["kind"];
  prompt: Prompt | null;
  picks: string[] | null;
  state: SentMessage["state"];
}

interface ChatRow {
  chatId: number;
  kind: string;
  title: string | null;
  username: string | null;
  allowed: boolean;
  lastSeenAt: Date;
}

/** Postgres access for the bridge: links, polling offset, observed chats, sent messages. */
export function createTelegramStore(sql: Sql) {
  const toLink = (r: LinkRow): Link => ({
    chatId: String(r.chatId),
    sessionId: r.sessionId,
    linkedAt: r.linkedAt.toISOString(),
    relayCursor: r.relayCursor,
  });
  const toMessage = (r: MessageRow): SentMessage => ({
    chatId: String(r.chatId),
    messageId: r.messageId,
    sessionId: r.sessionId,
    kind: r.kind,
    prompt: r.prompt,
    picks: r.picks ?? [],
    state: r.state,
  });

  return {
    async link(chatId: string, sessionId: string, relayCursor: number) {
      await sql`
        INSERT INTO telegram_links (chat_id, session_id, relay_cursor) VALUES (${chatId}, ${sessionId}, ${relayCursor})
        ON CONFLICT (chat_id) DO UPDATE SET session_id = EXCLUDED.session_id, linked_at = now(), relay_cursor = EXCLUDED.relay_cursor`;
    },
    async unlink(chatId: string): Promise<string | null> {
      const [row] = await sql<
        { sessionId: string }[]
      >`DELETE FROM telegram_links WHERE chat_id = ${chatId} RETURNING session_id`;
      return row?.sessionId ?? null;
    },
    async linkOf(chatId: string): Promise<Link | null> {
      const [row] = await sql<LinkRow[]>`SELECT * FROM telegram_links WHERE chat_id = ${chatId}`;
      return row ? toLink(row) : null;
    },
    async links(): Promise<Link[]> {
      return (await sql<LinkRow[]>`SELECT * FROM telegram_links ORDER BY linked_at`).map(toLink);
    },
    async linksOfSession(sessionId: string): Promise<Link[]> {
      return (
        await sql<LinkRow[]>`SELECT * FROM telegram_links WHERE session_id = ${sessionId} ORDER BY linked_at`
      ).map(toLink);
    },
    async setRelayCursor(chatId: string, sessionId: string, cursor: number) {
      await sql`UPDATE telegram_links SET relay_cursor = ${cursor} WHERE chat_id = ${chatId} AND session_id = ${sessionId}`;
    },

    async lastUpdateId(botId: number): Promise<{ updateId: number; at: number } | null> {
      const [row] = await sql<
        { lastUpdateId: number; updatedAt: Date }[]
      >`SELECT last_update_id, updated_at FROM telegram_offsets WHERE bot_id = ${botId}`;
      return row ? { updateId: row.lastUpdateId, at: row.updatedAt.getTime() } : null;
    },
    async saveUpdateId(botId: number, updateId: number) {
      await sql`
        INSERT INTO telegram_offsets (bot_id, last_update_id) VALUES (${botId}, ${updateId})
        ON CONFLICT (bot_id) DO UPDATE SET last_update_id = GREATEST(telegram_offsets.last_update_id, EXCLUDED.last_update_id), updated_at = now()`;
    },

    async observeChat(
      chat: { id: number; type: string; title?: string; username?: string; first_name?: string },
      allowed: boolean,
    ) {
      const title = chat.title ?? chat.first_name ?? null;
      await sql`
        INSERT INTO telegram_chats (chat_id, kind, title, username, allowed) VALUES (${chat.id}, ${chat.type}, ${title}, ${chat.username ?? null}, ${allowed})
        ON CONFLICT (chat_id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, username = EXCLUDED.username,
          allowed = EXCLUDED.allowed, last_seen_at = now()`;
    },
    /** The last Telegram app language (`language_code`) seen in the chat, or null. */
    async chatLanguage(chatId: string): Promise<string | null> {
      const [row] = await sql<
        { languageCode: string }[]
      >`SELECT language_code FROM telegram_chat_languages WHERE chat_id = ${chatId}`;
      return row?.languageCode ?? null;
    },
    async rememberChatLanguage(chatId: string, languageCode: string) {
      await sql`
        INSERT INTO telegram_chat_languages (chat_id, language_code) VALUES (${chatId}, ${languageCode})
        ON CONFLICT (chat_id) DO UPDATE SET language_code = EXCLUDED.language_code, seen_at = now()
          WHERE telegram_chat_languages.language_code IS DISTINCT FROM EXCLUDED.language_code`;
    },
    async recentChats(): Promise<ObservedChat[]> {
      const rows = await sql<ChatRow[]>`SELECT * FROM telegram_chats ORDER BY last_seen_at DESC LIMIT 50`;
      return rows.map((r) => ({
        chatId: String(r.chatId),
        kind: r.kind,
        title: r.title,
        username: r.username,
        allowed: r.allowed,
        lastSeenAt: r.lastSeenAt.toISOString(),
      }));
    },

    async recordMessage(m: {
      chatId: string;
      messageId: number;
      sessionId: string;
      kind: SentMessage["kind"];
      prompt?: Prompt;
      picks?: string[];
    }) {
      await sql`
        INSERT INTO telegram_messages (chat_id, message_id, session_id, kind, prompt, picks)
        VALUES (${m.chatId}, ${m.messageId}, ${m.sessionId}, ${m.kind}, ${m.prompt ? sql.json(m.prompt as never) : null}, ${sql.json(m.picks ?? [])})
        ON CONFLICT (chat_id, message_id) DO NOTHING`;
    },
    async message(chatId: string, messageId: number): Promise<SentMessage | null> {
      const [row] = await sql<
        MessageRow[]
      >`SELECT * FROM telegram_messages WHERE chat_id = ${chatId} AND message_id = ${messageId}`;
      return row ? toMessage(row) : null;
    },
    async setPicks(chatId: string, messageId: number, picks: string[]) {
      await sql`UPDATE telegram_messages SET picks = ${sql.json(picks)} WHERE chat_id = ${chatId} AND message_id = ${messageId}`;
    },
    /** Moves an open prompt message to `state`; false when it was no longer open (a double tap). */
    async closePrompt(chatId: string, messageId: number, state: "answered" | "expired"): Promise<boolean> {
      const rows = await sql`
        UPDATE telegram_messages SET state = ${state} WHERE chat_id = ${chatId} AND message_id = ${messageId} AND state = 'open'
        RETURNING message_id`;
      return rows.length > 0;
    },
    async openPrompts(sessionId: string): Promise<SentMessage[]> {
      return (
        await sql<
          MessageRow[]
        >`SELECT * FROM telegram_messages WHERE session_id = ${sessionId} AND kind = 'prompt' AND state = 'open'`
      ).map(toMessage);
    },
    /** Replies and taps older than a day no longer route anywhere. */
    async forgetOldMessages() {
      await sql`DELETE FROM telegram_messages WHERE created_at < now() - interval '24 hours'`;
    },
  };
}

export type TelegramStore = ReturnType<typeof createTelegramStore>;
