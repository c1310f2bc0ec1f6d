import type { Sql } from "postgres";

export interface AdminRow {
  username: string;
  passwordHash: string;
}

/**
 * The single admin account (admin_auth, migrations/0001_init.sql) and the token generation
 * (auth_state, migrations/0400_token_generation.sql) and the one-time login links
 * (one_time_codes, migrations/0910_one_time_codes.sql).
 */
export const authStore = (sql: Sql) => ({
  async admin(): Promise<AdminRow | null> {
    const [row] = await sql<AdminRow[]>`SELECT username, password_hash FROM admin_auth WHERE id = 1`;
    return row ?? null;
  },
  /** Saves the account and starts a new token generation in one transaction; returns the new generation. */
  async setAdmin(username: string, passwordHash: string): Promise<number> {
    return sql.begin(async (tx) => {
      await tx`
        INSERT INTO admin_auth (id, username, password_hash, updated_at) VALUES (1, ${username}, ${passwordHash}, now())
        ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, password_hash = EXCLUDED.password_hash, updated_at = now()`;
      // The first password ends the one-time login links with every other token.
      await tx`DELETE FROM one_time_codes`;
      return bump(tx as unknown as Sql);
    });
  },
  async addOneTimeCode(hash: string, expiresAt: Date) {
    await sql`DELETE FROM one_time_codes WHERE expires_at < now()`;
    await sql`INSERT INTO one_time_codes (code_hash, expires_at) VALUES (${hash}, ${expiresAt})`;
  },
  /** Removes the code and says whether it was there and unexpired: each link works once. */
  async takeOneTimeCode(hash: string): Promise<boolean> {
    const [row] = await sql<{ valid: boolean }[]>`
      DELETE FROM one_time_codes WHERE code_hash = ${hash} RETURNING expires_at > now() AS valid`;
    return row?.valid === true;
  },
  async generation(): Promise<number> {
    const [row] = await sql<{ tokenGeneration: number }[]>`SELECT token_generation FROM auth_state WHERE id = 1`;
    return row?.tokenGeneration ?? 1;
  },
  bumpGeneration: () => bump(sql),
});

async function bump(sql: Sql): Promise<number> {
  const [row] = await sql<{ tokenGeneration: number }[]>`
    INSERT INTO auth_state (id, token_generation, updated_at) VALUES (1, 2, now())
    ON CONFLICT (id) DO UPDATE SET token_generation = auth_state.token_generation + 1, updated_at = now()
    RETURNING token_generation`;
  return row?.tokenGeneration ?? 1;
}
