CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  session_type text NOT NULL DEFAULT 'terminal',
  cwd text NOT NULL,
  model text,
  extra_args jsonb NOT NULL DEFAULT '[]',
  env_overrides jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'created',
  exit_code integer,
  pid integer,
  cols integer NOT NULL DEFAULT 120,
  rows integer NOT NULL DEFAULT 40,
  cursor bigint NOT NULL DEFAULT 0,
  resume_id text,
  baseline_sha text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  exited_at timestamptz,
  last_active_at timestamptz
);

CREATE TABLE admin_auth (
  id integer PRIMARY KEY CHECK (id = 1),
  username text NOT NULL,
  password_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
