-- Plugin state: enable/disable and per-plugin config. Manifests are not stored: they live in the
-- binary (builtins) and in the plugin directories, which are the source of truth.
CREATE TABLE plugin_state (
  name       text PRIMARY KEY,
  enabled    boolean NOT NULL DEFAULT true,
  -- Non-secret config values, { key: string | boolean }.
  config     jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Secret config values, sealed with OPENDRAY_HOME/plugin-secrets.key; never returned by the API.
  secrets    jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
