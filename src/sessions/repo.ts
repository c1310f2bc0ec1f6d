import type { Sql } from "postgres";
import type { SessionStatus } from "./model";

export interface SessionRow {
  id: string;
  name: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  /** The stored model route ({ providerId, fallbacks }), see src/llm. */
  llm: { providerId: string; fallbacks: { providerId: string; model: string }[] } | null;
  extraArgs: string[];
  envOverrides: Record<string, string>;
  status: SessionStatus;
  exitCode: number | null;
  pid: number | null;
  cols: number;
  rows: number;
  cursor: number;
  resumeId: string | null;
  baselineSha: string | null;
  createdAt: Date;
  startedAt: Date | null;
  exitedAt: Date | null;
  lastActiveAt: Date | null;
}

export const sessionRepo = (sql: Sql) => ({
  all: () => sql<SessionRow[]>`SELECT * FROM sessions ORDER BY created_at`,
  get: async (id: string) => (await sql<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`)[0] ?? null,
  insert: (
    row: Pick<
      SessionRow,
      "id" | "name" | "sessionType" | "cwd" | "model" | "extraArgs" | "envOverrides" | "cols" | "rows"
    > & { llm?: SessionRow["llm"] },
  ) =>
    sql`INSERT INTO sessions (id, name, session_type, cwd, model, extra_args, env_overrides, cols, rows, llm)
        VALUES (${row.id}, ${row.name}, ${row.sessionType}, ${row.cwd}, ${row.model}, ${sql.json(row.extraArgs)}, ${sql.json(row.envOverrides)}, ${row.cols}, ${row.rows}, ${row.llm ? sql.json(row.llm) : null})`,
  started: (id: string, pid: number, resumeId: string | null, baseline: string | null) =>
    sql`UPDATE sessions SET status = 'running', pid = ${pid}, resume_id = COALESCE(${resumeId}, resume_id), exit_code = NULL,
        baseline_sha = COALESCE(baseline_sha, ${baseline}),
        exited_at = NULL, started_at = now(), last_active_at = now() WHERE id = ${id}`,
  status: (id: string, status: SessionStatus, cursor: number) =>
    sql`UPDATE sessions SET status = ${status}, cursor = GREATEST(cursor, ${cursor}), last_active_at = now() WHERE id = ${id}`,
  exited: (id: string, code: number | null, cursor: number, at: Date) =>
    sql`UPDATE sessions SET status = 'exited', exit_code = ${code}, pid = NULL, cursor = GREATEST(cursor, ${cursor}), exited_at = ${at} WHERE id = ${id}`,
  resize: (id: string, cols: number, rows: number) =>
    sql`UPDATE sessions SET cols = ${cols}, rows = ${rows} WHERE id = ${id}`,
  baseline: (id: string, sha: string) => sql`UPDATE sessions SET baseline_sha = ${sha} WHERE id = ${id}`,
  remove: (id: string) => sql`DELETE FROM sessions WHERE id = ${id}`,
});
