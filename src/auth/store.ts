import type { Sql } from "postgres";

export interface AdminRow {
  username: string;
  passwordHash: string;
}

/** The single admin account (admin_auth, migrations/0001_init.sql). */
export const authStore = (sql: Sql) => ({
  async admin(): Promise<AdminRow | null> {
    const [row] = await sql<AdminRow[]>`SELECT username, password_hash FROM admin_auth WHERE id = 1`;
    return row ?? null;
  },
  async setAdmin(username: string, passwordHash: string) {
    await sql`
      INSERT INTO admin_auth (id, username, password_hash, updated_at) VALUES (1, ${username}, ${passwordHash}, now())
      ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, password_hash = EXCLUDED.password_hash, updated_at = now()`;
  },
});
