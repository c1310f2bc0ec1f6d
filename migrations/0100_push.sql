-- Web Push: the server's VAPID key pair (generated on first run) and the browsers subscribed to it.

CREATE TABLE push_vapid (
  id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  public_key  text NOT NULL,
  private_key text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE push_subscriptions (
  endpoint      text PRIMARY KEY,
  p256dh        text NOT NULL,
  auth          text NOT NULL,
  user_agent    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_sent_at  timestamptz,
  -- consecutive failed deliveries; the subscription is dropped when the push service says it is gone
  failures      integer NOT NULL DEFAULT 0
);
