-- Claude accounts: a pasted long-lived token (sealed with the plugin secret box) or a signed-in config dir.
-- Every account has its own CLAUDE_CONFIG_DIR; their projects/ share one transcript store.

CREATE TABLE claude_accounts (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  display_name  text NOT NULL DEFAULT '',
  kind          text NOT NULL CHECK (kind IN ('token', 'login')),
  enabled       boolean NOT NULL DEFAULT true,
  token_sealed  text,
  config_dir    text NOT NULL,
  email         text,
  plan          text,
  position      integer NOT NULL DEFAULT 0,
  limited_until timestamptz,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE sessions ADD COLUMN claude_account_id uuid REFERENCES claude_accounts (id) ON DELETE SET NULL;
