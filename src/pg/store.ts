import type { Sql } from "postgres";

export interface HistoryEntry {
  id: number;
  conn: string;
  sql: string;
  ok: boolean;
  rowCount: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
}

const KEEP = 200;

/** pg_query_history (migrations/0800_pg_history.sql), in OpenDray's own database. */
export class PgHistoryStore {
  constructor(private sql: Sql) {}

  async add(e: { conn: string; sql: string; ok: boolean; rowCount?: number; durationMs?: number; error?: string }) {
    await this.sql`
      INSERT INTO pg_query_history (conn, sql, ok, row_count, duration_ms, error)
      VALUES (${e.conn}, ${e.sql.slice(0, 20_000)}, ${e.ok}, ${e.rowCount ?? null}, ${e.durationMs ?? null}, ${e.error?.slice(0, 2000) ?? null})`;
    await this.sql`
      DELETE FROM pg_query_history WHERE conn = ${e.conn} AND id <= (
        SELECT id FROM pg_query_history WHERE conn = ${e.conn} ORDER BY id DESC OFFSET ${KEEP} LIMIT 1)`;
  }

  list(conn: string, limit: number) {
    return this.sql<HistoryEntry[]>`
      SELECT id::int AS id, conn, sql, ok, row_count, duration_ms, error, created_at
      FROM pg_query_history WHERE conn = ${conn} ORDER BY id DESC LIMIT ${limit}`;
  }
}
