import type { Sql } from "postgres";
import { dbUnavailable, isDbUnavailable, WriteQueue } from "../store";
import type { ExitReason, SessionStatus } from "./model";

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
  exitReason: ExitReason | null;
  pid: number | null;
  cols: number;
  rows: number;
  cursor: number;
  resumeId: string | null;
  baselineSha: string | null;
  claudeAccountId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  exitedAt: Date | null;
  lastActiveAt: Date | null;
}

/**
 * The sessions table, with a copy of its rows in memory: while the database is unreachable, reads
 * answer from that copy and the writes of running sessions (status, cursor, exit, size) are kept
 * and replayed in order once it is back. Creating and removing sessions needs the database.
 */
export const sessionRepo = (sql: Sql) => {
  const rows = new Map<string, SessionRow>();
  let loaded = false;
  const writes = new WriteQueue();
  const patch = (id: string, change: (row: SessionRow) => Partial<SessionRow>) => {
    const row = rows.get(id);
    if (row) rows.set(id, { ...row, ...change(row) });
  };
  const orMemory = async <T>(read: () => Promise<T>, fallback: () => T): Promise<T> => {
    // writes kept during an outage land before the database is read again
    if (writes.size) await writes.flush();
    try {
      return await read();
    } catch (e) {
      if (loaded && isDbUnavailable(e)) return fallback();
      throw isDbUnavailable(e) ? dbUnavailable() : e;
    }
  };
  const needsDb = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (e) {
      throw isDbUnavailable(e) ? dbUnavailable() : e;
    }
  };
  return {
    /** Writes still waiting for the database. */
    pendingWrites: () => writes.size,
    all: () =>
      orMemory(
        async () => {
          const all = await sql<SessionRow[]>`SELECT * FROM sessions ORDER BY created_at`;
          rows.clear();
          for (const r of all) rows.set(r.id, r);
          loaded = true;
          return all;
        },
        () => [...rows.values()],
      ),
    get: (id: string) =>
      orMemory(
        async () => {
          const row = (await sql<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`)[0] ?? null;
          if (row) rows.set(id, row);
          else rows.delete(id);
          return row;
        },
        () => rows.get(id) ?? null,
      ),
    insert: (
      row: Pick<
        SessionRow,
        "id" | "name" | "sessionType" | "cwd" | "model" | "extraArgs" | "envOverrides" | "cols" | "rows"
      > & { llm?: SessionRow["llm"]; claudeAccountId?: string | null },
    ) =>
      needsDb(
        () =>
          sql`INSERT INTO sessions (id, name, session_type, cwd, model, extra_args, env_overrides, cols, rows, llm, claude_account_id)
          VALUES (${row.id}, ${row.name}, ${row.sessionType}, ${row.cwd}, ${row.model}, ${sql.json(row.extraArgs)}, ${sql.json(row.envOverrides)}, ${row.cols}, ${row.rows}, ${row.llm ? sql.json(row.llm) : null}, ${row.claudeAccountId ?? null})`,
      ),
    claudeAccount: async (id: string, accountId: string | null) => {
      await needsDb(() => sql`UPDATE sessions SET claude_account_id = ${accountId} WHERE id = ${id}`);
      patch(id, () => ({ claudeAccountId: accountId }));
    },
    started: (id: string, pid: number, resumeId: string | null, baseline: string | null) => {
      const now = new Date();
      patch(id, (r) => ({
        status: "running",
        pid,
        resumeId: resumeId ?? r.resumeId,
        exitCode: null,
        exitReason: null,
        baselineSha: r.baselineSha ?? baseline,
        exitedAt: null,
        startedAt: now,
        lastActiveAt: now,
      }));
      return writes.write(
        `session ${id} started`,
        () =>
          sql`UPDATE sessions SET status = 'running', pid = ${pid}, resume_id = COALESCE(${resumeId}, resume_id), exit_code = NULL, exit_reason = NULL,
          baseline_sha = COALESCE(baseline_sha, ${baseline}),
          exited_at = NULL, started_at = ${now}, last_active_at = ${now} WHERE id = ${id}`,
      );
    },
    status: (id: string, status: SessionStatus, cursor: number) => {
      const now = new Date();
      patch(id, (r) => ({ status, cursor: Math.max(r.cursor, cursor), lastActiveAt: now }));
      return writes.write(
        `session ${id} ${status}`,
        () =>
          sql`UPDATE sessions SET status = ${status}, cursor = GREATEST(cursor, ${cursor}), last_active_at = ${now} WHERE id = ${id}`,
      );
    },
    exited: (id: string, code: number | null, cursor: number, at: Date, reason: ExitReason | null) => {
      patch(id, (r) => ({
        status: "exited",
        exitCode: code,
        exitReason: reason,
        pid: null,
        cursor: Math.max(r.cursor, cursor),
        exitedAt: at,
      }));
      return writes.write(
        `session ${id} exited`,
        () =>
          sql`UPDATE sessions SET status = 'exited', exit_code = ${code}, exit_reason = ${reason}, pid = NULL, cursor = GREATEST(cursor, ${cursor}), exited_at = ${at} WHERE id = ${id}`,
      );
    },
    resize: (id: string, cols: number, rows: number) => {
      patch(id, () => ({ cols, rows }));
      return writes.write(
        `session ${id} resized`,
        () => sql`UPDATE sessions SET cols = ${cols}, rows = ${rows} WHERE id = ${id}`,
      );
    },
    /** Output or input happened (throttled by the caller: see activity.ts); the cursor is the output's end. */
    active: (id: string, at: Date, cursor: number) => {
      patch(id, (r) => ({
        lastActiveAt: r.lastActiveAt && r.lastActiveAt > at ? r.lastActiveAt : at,
        cursor: Math.max(r.cursor, cursor),
      }));
      return writes.write(
        `session ${id} active`,
        () =>
          sql`UPDATE sessions SET last_active_at = GREATEST(last_active_at, ${at}), cursor = GREATEST(cursor, ${cursor}) WHERE id = ${id}`,
      );
    },
    baseline: (id: string, sha: string) => {
      patch(id, () => ({ baselineSha: sha }));
      return writes.write(
        `session ${id} baseline`,
        () => sql`UPDATE sessions SET baseline_sha = ${sha} WHERE id = ${id}`,
      );
    },
    remove: async (id: string) => {
      await needsDb(() => sql`DELETE FROM sessions WHERE id = ${id}`);
      rows.delete(id);
    },
  };
};
export type SessionRepo = ReturnType<typeof sessionRepo>;
