-- Every token carries the generation it was issued in; bumping it (credentials change, logout-all) revokes the rest.
CREATE TABLE auth_state (
  id integer PRIMARY KEY CHECK (id = 1),
  token_generation bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO auth_state (id) VALUES (1);
