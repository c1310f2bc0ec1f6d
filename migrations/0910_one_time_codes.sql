-- The first start's one-time login links (sha256 of the code only), so a restart keeps them usable until used or expired.
CREATE TABLE one_time_codes (
  code_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
