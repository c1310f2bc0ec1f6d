import { AppError } from "../errors";
import type { PgSettings } from "./connections";
import { deniedCalls, firstVerb, planStrings, precheckReadOnly } from "./guard";
import type { Column, ConnectionSpec, QueryBody, QueryResult } from "./model";
import { openPool, pgError, READER_ROLE, type ReaderMode, type ReservedSql, readerMode, type Sql } from "./pool";
import { readSchema } from "./schema";

// Unnamed statements over the extended protocol: one statement per request, enforced by Postgres
// ("cannot insert multiple commands into a prepared statement"). postgres.js switches to the simple
// protocol when there are no parameters unless told `simple: false`.
const EXTENDED = { prepare: false, simple: false } as unknown as { prepare: false };

interface Pool {
  sql: Sql;
  mode?: Promise<ReaderMode>;
  types: Map<number, string>;
}

export interface PgBrowserOptions {
  /** The verb list that refuses plain writes before they reach Postgres (on by default; tests turn it off). */
  precheck?: boolean;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return value;
}

/** Runs queries against the configured databases without letting them write. */
export class PgBrowser {
  private pools = new Map<string, Pool>();
  constructor(private opts: PgBrowserOptions = {}) {}

  private pool(spec: ConnectionSpec): Pool {
    const key = JSON.stringify([spec.host, spec.port, spec.database, spec.user, spec.password, spec.sslmode]);
    let p = this.pools.get(key);
    if (!p) {
      p = { sql: openPool(spec), types: new Map() };
      this.pools.set(key, p);
    }
    return p;
  }

  /** How queries on this connection are kept read-only; a note for the UI when not by a role. */
  async mode(spec: ConnectionSpec): Promise<ReaderMode> {
    const p = this.pool(spec);
    p.mode ??= readerMode(p.sql).catch((e) => {
      p.mode = undefined;
      throw pgError(e, 0);
    });
    return p.mode;
  }

  /** `fn` inside BEGIN READ ONLY with the timeouts and the reader role; always rolled back. */
  private async readOnly<T>(spec: ConnectionSpec, settings: PgSettings, fn: (c: ReservedSql, p: Pool) => Promise<T>) {
    const mode = await this.mode(spec);
    if ("refused" in mode) throw new AppError("forbidden", mode.refused, undefined, { reason: "superuser" });
    const p = this.pool(spec);
    const ms = settings.statementTimeoutMs;
    let c: ReservedSql;
    try {
      c = await p.sql.reserve();
    } catch (e) {
      throw pgError(e, ms);
    }
    try {
      await c.unsafe("BEGIN READ ONLY");
      await c.unsafe(`SET LOCAL statement_timeout = ${ms}`);
      await c.unsafe(`SET LOCAL idle_in_transaction_session_timeout = ${ms + 5000}`);
      if (mode.role) await c.unsafe(`SET LOCAL ROLE ${READER_ROLE}`);
      // Takes the snapshot: after it, `SET transaction_read_only = off` is refused by Postgres.
      await c.unsafe("SELECT 1");
      return await fn(c, p);
    } catch (e) {
      throw pgError(e, ms);
    } finally {
      await c.unsafe("ROLLBACK").catch(() => {});
      c.release();
    }
  }

  private async typeNames(c: ReservedSql, p: Pool, oids: number[]) {
    const missing = [...new Set(oids)].filter((o) => !p.types.has(o));
    if (missing.length) {
      const rows = await c.unsafe<{ oid: number; typname: string }[]>(
        "SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])",
        [missing],
        EXTENDED,
      );
      for (const r of rows) p.types.set(r.oid, r.typname);
    }
    return (oid: number) => p.types.get(oid) ?? String(oid);
  }

  /** One read: `{columns, rows, rowCount, truncated, durationMs}`, at most `cap` rows. */
  async query(spec: ConnectionSpec, settings: PgSettings, body: QueryBody, cap = settings.maxRows) {
    if (this.opts.precheck !== false) precheckReadOnly(body.sql);
    const params = body.params as never[];
    return this.readOnly(spec, settings, async (c, p): Promise<QueryResult> => {
      if (firstVerb(body.sql) !== "SHOW") await this.checkPlan(c, body.sql, params);
      const started = performance.now();
      const rows: unknown[][] = [];
      let meta: { name: string; type: number }[] | undefined;
      let truncated = false;
      for await (const batch of c
        .unsafe(body.sql, params, EXTENDED)
        .values()
        .cursor(cap + 1)) {
        meta = (batch as unknown as { columns: { name: string; type: number }[] }).columns;
        for (const r of batch as unknown as unknown[][]) rows.push(r.map(jsonValue));
        if (rows.length > cap) {
          truncated = true;
          rows.length = cap;
        }
        break;
      }
      const durationMs = Math.round(performance.now() - started);
      await this.stillInTransaction(c);
      meta ??= (await c.unsafe(body.sql, params, EXTENDED).describe()).columns ?? [];
      const name = await this.typeNames(
        c,
        p,
        meta.map((m) => m.type),
      );
      const columns: Column[] = meta.map((m) => ({ name: m.name, type: name(m.type) }));
      return { columns, rows, rowCount: rows.length, truncated, durationMs };
    });
  }

  /** EXPLAIN VERBOSE shows every function the statement calls; refuse the ones that must not run. */
  private async checkPlan(c: ReservedSql, sql: string, params: never[]) {
    let plan: unknown;
    try {
      await c.unsafe("SAVEPOINT opendray_plan");
      plan = await c.unsafe(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`, params, EXTENDED);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.message?.includes("cannot insert multiple commands"))
        throw new AppError("forbidden", "one statement at a time: Postgres refused a query with several", undefined, {
          pgCode: err.code,
          reason: "multiple_statements",
        });
      if (err.code === "42601") {
        // Parse alone (nothing runs) tells a typo from a statement that is not a query.
        await c.unsafe("ROLLBACK TO SAVEPOINT opendray_plan");
        await c.unsafe(sql, params, EXTENDED).describe();
        throw new AppError(
          "forbidden",
          `only a query Postgres can plan runs here (SELECT, WITH, VALUES, TABLE) or SHOW: ${err.message}`,
          undefined,
          { pgCode: err.code, reason: "not_a_query" },
        );
      }
      throw e;
    }
    const denied = deniedCalls(planStrings(plan).join("\n"));
    if (denied.length)
      throw new AppError(
        "forbidden",
        `${denied.join(", ")} cannot run here: it signals backends, touches server files or programs, or changes settings`,
        undefined,
        { reason: "denied_function", functions: denied },
      );
  }

  /** A statement that ended the transaction (a smuggled COMMIT) is refused after the fact. */
  private async stillInTransaction(c: ReservedSql) {
    try {
      await c.unsafe("SAVEPOINT opendray_guard");
    } catch {
      throw new AppError(
        "forbidden",
        "the statement ended the read-only transaction (COMMIT/ROLLBACK are refused)",
        undefined,
        {
          reason: "transaction_control",
        },
      );
    }
  }

  /** `EXPLAIN (FORMAT JSON)`: the plan, nothing executed. */
  async explain(spec: ConnectionSpec, settings: PgSettings, body: QueryBody) {
    if (this.opts.precheck !== false) precheckReadOnly(body.sql);
    return this.readOnly(spec, settings, async (c) => {
      const rows = await c.unsafe<{ "QUERY PLAN": unknown }[]>(
        `EXPLAIN (FORMAT JSON) ${body.sql}`,
        body.params as never[],
        EXTENDED,
      );
      return { plan: rows[0]?.["QUERY PLAN"] ?? null };
    });
  }

  async schema(spec: ConnectionSpec, settings: PgSettings) {
    const mode = await this.mode(spec);
    const tree = await this.readOnly(spec, settings, (c) => readSchema(c));
    return { ...tree, readerRole: mode.role, note: mode.note ?? null };
  }

  /** A write, only when the panel is not read-only: one statement, committed. */
  async execute(spec: ConnectionSpec, settings: PgSettings, body: QueryBody) {
    if (settings.readOnly)
      throw new AppError("forbidden", "this panel is read-only: turn Read only off in the pg panel to run writes");
    const p = this.pool(spec);
    const ms = settings.statementTimeoutMs;
    try {
      return await p.sql.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL statement_timeout = ${ms}`);
        const started = performance.now();
        const r = await tx.unsafe(body.sql, body.params as never[], EXTENDED);
        return {
          rowsAffected: r.count ?? 0,
          verb: r.command ?? firstVerb(body.sql),
          durationMs: Math.round(performance.now() - started),
        };
      });
    } catch (e) {
      throw pgError(e, ms);
    }
  }

  async close() {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.sql.end({ timeout: 2 })));
  }
}
