-- Queries run in the PostgreSQL panel, newest first per connection; the panel keeps the last 200.
CREATE TABLE pg_query_history (
  id          bigserial PRIMARY KEY,
  conn        text NOT NULL,
  sql         text NOT NULL,
  ok          boolean NOT NULL,
  row_count   integer,
  duration_ms integer,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pg_query_history_conn ON pg_query_history (conn, id DESC);
