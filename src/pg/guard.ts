import { AppError } from "../errors";

/** Strips -- and /* *\/ comments (nested, as Postgres allows) and leading whitespace. */
export function stripComments(sql: string): string {
  let out = "";
  let i = 0;
  while (i < sql.length) {
    if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end + 1;
      out += " ";
    } else if (sql.startsWith("/*", i)) {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        const open = sql.startsWith("/*", i);
        const close = !open && sql.startsWith("*/", i);
        depth += open ? 1 : close ? -1 : 0;
        i += open || close ? 2 : 1;
      }
      out += " ";
    } else out += sql[i++];
  }
  return out.trim();
}

/** The statement's first word, upper-cased ("" when there is none). */
export const firstVerb = (sql: string) => (/^[(\s]*([A-Za-z]+)/.exec(stripComments(sql))?.[1] ?? "").toUpperCase();

// The original's verb list, plus the statements that are never a read. Only a friendly early
// message: what actually stops a write is Postgres (read-only transaction, read-only role).
const WRITE_VERBS = new Set(
  "INSERT UPDATE DELETE MERGE DROP CREATE ALTER TRUNCATE GRANT REVOKE REINDEX VACUUM COMMENT CLUSTER COPY DO CALL LOCK SET RESET BEGIN START COMMIT END ROLLBACK ABORT SAVEPOINT RELEASE PREPARE EXECUTE DEALLOCATE DISCARD LISTEN NOTIFY UNLISTEN REFRESH SECURITY IMPORT LOAD CHECKPOINT ANALYZE".split(
    " ",
  ),
);

/** A friendly refusal before anything reaches Postgres, for statements that are plainly writes. */
export function precheckReadOnly(sql: string) {
  const verb = firstVerb(sql);
  if (WRITE_VERBS.has(verb))
    throw new AppError("forbidden", `${verb} is not allowed: this connection is read-only`, undefined, {
      reason: "read_only",
    });
}

/**
 * Functions a read must not call even when Postgres would let the role run them: they signal other
 * backends, read or write server files, run programs, change settings (set_config can even switch
 * the role back to the session user), take session-wide locks, write WAL outside the transaction,
 * or run SQL text the planner never saw.
 */
export const DENIED_FUNCTIONS = new Set([
  "pg_terminate_backend",
  "pg_cancel_backend",
  "pg_reload_conf",
  "pg_rotate_logfile",
  "pg_log_backend_memory_contexts",
  "set_config",
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_ls_logdir",
  "pg_ls_waldir",
  "pg_ls_tmpdir",
  "pg_ls_archive_statusdir",
  "pg_ls_logicalsnapdir",
  "pg_ls_logicalmapdir",
  "pg_ls_replslotdir",
  "pg_stat_file",
  "lo_import",
  "lo_export",
  "pg_file_write",
  "pg_file_rename",
  "pg_file_unlink",
  "pg_file_sync",
  "pg_logdir_ls",
  "dblink",
  "dblink_exec",
  "dblink_connect",
  "dblink_connect_u",
  "dblink_send_query",
  "pg_promote",
  "pg_switch_wal",
  "pg_create_restore_point",
  "pg_backup_start",
  "pg_backup_stop",
  "pg_logical_emit_message",
  "pg_create_logical_replication_slot",
  "pg_create_physical_replication_slot",
  "pg_drop_replication_slot",
  "pg_copy_logical_replication_slot",
  "pg_copy_physical_replication_slot",
  "pg_replication_slot_advance",
  "pg_wal_replay_pause",
  "pg_wal_replay_resume",
  "pg_advisory_lock",
  "pg_advisory_lock_shared",
  "pg_try_advisory_lock",
  "pg_try_advisory_lock_shared",
  "pg_advisory_unlock",
  "pg_advisory_unlock_all",
  "pg_advisory_unlock_shared",
  "pg_stat_reset",
  "pg_stat_reset_shared",
  "pg_stat_reset_single_table_counters",
  "pg_stat_reset_single_function_counters",
  "pg_stat_reset_slru",
  "pg_stat_reset_replication_slot",
  "pg_stat_reset_subscription_stats",
  "query_to_xml",
  "query_to_xmlschema",
  "query_to_xml_and_xmlschema",
  "cursor_to_xml",
  "cursor_to_xmlschema",
  "pg_import_system_collations",
]);

const NAME = /([A-Za-z_][A-Za-z0-9_$]*)"?\s*\(/g;

/** The denied functions named in a plan's text (EXPLAIN VERBOSE shows every call the query makes). */
export function deniedCalls(planText: string): string[] {
  const found = new Set<string>();
  for (const m of planText.matchAll(NAME)) {
    const name = (m[1] ?? "").toLowerCase();
    if (DENIED_FUNCTIONS.has(name) || name.startsWith("dblink")) found.add(name);
  }
  return [...found];
}

/** Collects every string in a JSON plan, so calls in Output, Filter, Function Call… are all seen. */
export function planStrings(plan: unknown, out: string[] = []): string[] {
  if (typeof plan === "string") out.push(plan);
  else if (Array.isArray(plan)) for (const p of plan) planStrings(p, out);
  else if (plan && typeof plan === "object") for (const p of Object.values(plan)) planStrings(p, out);
  return out;
}
