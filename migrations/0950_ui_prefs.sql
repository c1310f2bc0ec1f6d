-- The web UI's preferences that follow the user to every device (the key bar's keys and order).

CREATE TABLE ui_prefs (
  name        text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
