import type { Sql } from "postgres";
import type { Subscription } from "./model";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

interface SubscriptionRow {
  endpoint: string;
  p256dh: string;
  auth: string;
  /** The browser's language tag, null when its client sent none. */
  language: string | null;
}

/** push_vapid and push_subscriptions (migrations/0100_push.sql). */
export const pushStore = (sql: Sql) => ({
  async vapid(): Promise<VapidKeys | undefined> {
    const [row] = await sql<VapidKeys[]>`SELECT public_key, private_key FROM push_vapid WHERE id = 1`;
    return row;
  },
  /** Keeps the first pair written when two starts race. */
  async saveVapid(keys: VapidKeys) {
    await sql`INSERT INTO push_vapid (id, public_key, private_key) VALUES (1, ${keys.publicKey}, ${keys.privateKey})
      ON CONFLICT (id) DO NOTHING`;
  },
  async subscribe(sub: Subscription, userAgent: string | null) {
    await sql`
      INSERT INTO push_subscriptions (endpoint, p256dh, auth, user_agent, language)
      VALUES (${sub.endpoint}, ${sub.keys.p256dh}, ${sub.keys.auth}, ${userAgent}, ${sub.language ?? null})
      ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent,
        language = excluded.language, failures = 0`;
  },
  async remove(endpoint: string) {
    await sql`DELETE FROM push_subscriptions WHERE endpoint = ${endpoint}`;
  },
  async count(): Promise<number> {
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM push_subscriptions`;
    return row?.n ?? 0;
  },
  subscriptions: () => sql<SubscriptionRow[]>`SELECT endpoint, p256dh, auth, language FROM push_subscriptions`,
  async delivered(endpoint: string) {
    await sql`UPDATE push_subscriptions SET last_sent_at = now(), failures = 0 WHERE endpoint = ${endpoint}`;
  },
  async failed(endpoint: string) {
    await sql`UPDATE push_subscriptions SET failures = failures + 1 WHERE endpoint = ${endpoint}`;
  },
});
