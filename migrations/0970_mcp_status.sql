-- MCP servers: the last start failure (Test or a session's gateway), kept across server restarts and
-- cleared by the next start that works. Sealed secrets are scrubbed out of the message before it is stored.
ALTER TABLE mcp_servers ADD COLUMN last_error text;
ALTER TABLE mcp_servers ADD COLUMN last_error_at timestamptz;
