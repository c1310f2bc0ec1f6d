-- MCP servers: the names a server had before a rename, newest last. A running session's agent listed its
-- tools as `<old name>__<tool>` and keeps calling them so; the gateway still routes those calls.
ALTER TABLE mcp_servers ADD COLUMN former_names jsonb NOT NULL DEFAULT '[]'::jsonb;
