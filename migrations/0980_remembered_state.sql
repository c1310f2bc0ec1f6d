-- State the server used to keep in memory only; the PTY host outlives the server, so a restart kept
-- the sessions and forgot these.

-- "Wait" on a Claude account-limit card: the session waits out this limit (the account's reset time)
-- on its account. Goes with the session and with the account.
CREATE TABLE claude_limit_waits (
  session_id    uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  account_id    uuid NOT NULL REFERENCES claude_accounts (id) ON DELETE CASCADE,
  limited_until timestamptz NOT NULL
);

-- The last start error of each MCP server in a session's gateway, scrubbed of sealed secrets before
-- it is stored (src/mcp/scrub.ts); cleared by the next start that works.
CREATE TABLE mcp_session_errors (
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  server     text NOT NULL,
  error      text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, server)
);

-- When a session's agent last listed the gateway's tools (GET /api/sessions/{id}/mcp-calls connectedAt).
CREATE TABLE mcp_session_listings (
  session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  listed_at  timestamptz NOT NULL
);

-- The last Telegram app language (`language_code`) seen in each chat: the bot's language there when
-- the web UI has none chosen.
CREATE TABLE telegram_chat_languages (
  chat_id       bigint PRIMARY KEY,
  language_code text NOT NULL,
  seen_at       timestamptz NOT NULL DEFAULT now()
);
