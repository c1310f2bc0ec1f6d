-- MCP servers (issue 16): the registry, each session's resolved set and the audit of its tool calls.
CREATE TABLE mcp_servers (
  id             uuid PRIMARY KEY,
  name           text NOT NULL UNIQUE,
  description    text NOT NULL DEFAULT '',
  transport      text NOT NULL,
  command        text,
  args           jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- {NAME: value} and {Header: value}, each value sealed with OPENDRAY_HOME/plugin-secrets.key.
  env_sealed     jsonb NOT NULL DEFAULT '{}'::jsonb,
  url            text,
  headers_sealed jsonb NOT NULL DEFAULT '{}'::jsonb,
  applies_to     jsonb NOT NULL DEFAULT '["*"]'::jsonb,
  enabled_tools  jsonb,
  disabled_tools jsonb NOT NULL DEFAULT '[]'::jsonb,
  startup_timeout_ms integer NOT NULL DEFAULT 20000,
  call_timeout_ms    integer NOT NULL DEFAULT 60000,
  enabled        boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The ids of the registry servers a session was started with; null = not resolved (older sessions).
ALTER TABLE sessions ADD COLUMN mcp_servers jsonb;
-- Only OpenDray's server, none of the agent's own MCP configuration (for the agents that can: strictArgs).
ALTER TABLE sessions ADD COLUMN mcp_strict boolean NOT NULL DEFAULT false;

CREATE TABLE mcp_calls (
  id          bigserial PRIMARY KEY,
  session_id  uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  tool        text NOT NULL,
  arguments   jsonb,
  result      jsonb,
  is_error    boolean NOT NULL DEFAULT false,
  ms          integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_calls_session ON mcp_calls (session_id, id);
