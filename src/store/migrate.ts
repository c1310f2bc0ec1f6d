import type { Sql } from "postgres";
import { log } from "../log";
import { readMigrations } from "./read-migrations" with { type: "macro" };

export const migrations: { name: string; sql: string }[] = readMigrations();

/** Applies each not-yet-applied migration in its own transaction and records it. */
export async function migrate(sql: Sql) {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
  await sql`SELECT pg_advisory_lock(864001)`;
  try {
    const applied = new Set((await sql<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      await sql.begin(async (tx) => {
        await tx.unsafe(m.sql);
        await tx`INSERT INTO schema_migrations (name) VALUES (${m.name})`;
      });
      log.info("applied migration", { name: m.name });
    }
  } finally {
    await sql`SELECT pg_advisory_unlock(864001)`;
  }
}
