-- Telegram bridge: chat→session links, the polling offset, observed chats and the messages the bot sent
-- that a reply or a keyboard tap can refer back to.

CREATE TABLE telegram_links (
  chat_id      bigint PRIMARY KEY,
  session_id   text NOT NULL,
  linked_at    timestamptz NOT NULL DEFAULT now(),
  -- byte cursor of the session output already relayed to this chat
  relay_cursor bigint
);
CREATE INDEX telegram_links_session ON telegram_links (session_id);

-- Last processed update id per bot (a new token means a new bot and a new id sequence).
CREATE TABLE telegram_offsets (
  bot_id         bigint PRIMARY KEY,
  last_update_id bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Every chat that wrote to the bot, allowed or not (lets the UI offer it for the allowlist).
CREATE TABLE telegram_chats (
  chat_id       bigint PRIMARY KEY,
  kind          text NOT NULL,
  title         text,
  username      text,
  allowed       boolean NOT NULL DEFAULT false,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);

-- Messages the bot sent about a session: replies to them route input there; prompt messages keep their
-- keyboard state (multi-select picks, answered/expired) so a tap after a restart still works.
CREATE TABLE telegram_messages (
  chat_id    bigint NOT NULL,
  message_id bigint NOT NULL,
  session_id text NOT NULL,
  kind       text NOT NULL,
  prompt     jsonb,
  picks      jsonb NOT NULL DEFAULT '[]',
  state      text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX telegram_messages_session ON telegram_messages (session_id, state);
CREATE INDEX telegram_messages_created ON telegram_messages (created_at);
