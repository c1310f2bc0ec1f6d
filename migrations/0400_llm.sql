-- Model endpoints (issue 15): the registry, each session's route, its gateway token and its usage.
CREATE TABLE llm_providers (
  id             uuid PRIMARY KEY,
  name           text NOT NULL UNIQUE,
  kind           text NOT NULL DEFAULT 'openai-compat',
  base_url       text NOT NULL,
  -- The name of a server environment variable holding the key; the key itself is not stored.
  api_key_env    text,
  -- Or the key, sealed with OPENDRAY_HOME/plugin-secrets.key; never returned by the API.
  api_key_sealed text,
  headers        jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled        boolean NOT NULL DEFAULT true,
  -- The last probe: { openaiChat: {ok,status,ms}, … } and [{ id, contextWindow?, … }].
  wires          jsonb,
  models         jsonb,
  probed_at      timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- { providerId, fallbacks: [{ providerId, model }] }; the model is sessions.model.
ALTER TABLE sessions ADD COLUMN llm jsonb;

-- The gateway token of a running session, as a SHA-256 hash; deleted when the session ends.
CREATE TABLE llm_session_tokens (
  session_id uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE llm_usage (
  session_id    uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  requests      integer NOT NULL DEFAULT 0,
  input_tokens  bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  errors        integer NOT NULL DEFAULT 0,
  fallbacks     integer NOT NULL DEFAULT 0,
  last_error    text,
  last_model    text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
