import { Elysia } from "elysia";
import type { Sql } from "postgres";
import { type AuthService, requireAuth } from "../auth";
import { AppError } from "../errors";
import { log } from "../log";
import type { ConfigValue } from "../plugins/config-values";
import { type PanelLookup, panelGuard } from "../plugins/panel-guard";
import {
  type ConnectionSource,
  configConnections,
  connectionView,
  findConnection,
  listConnections,
  pgSettings,
} from "./connections";
import { toCsv } from "./csv";
import { ConnParams, HistoryQuery, type QueryBody, QueryBody as QueryBodySchema, SessionQuery } from "./model";
import { PgBrowser } from "./service";
import { PgHistoryStore } from "./store";

export { PgBrowser } from "./service";

export interface PgRouteDeps {
  auth: AuthService;
  registry: PanelLookup & {
    config(name: string): Record<string, ConfigValue>;
    checkConfigWith?(name: string, check: (config: Record<string, ConfigValue>) => void): void;
  };
  sessions: { get(id: string): Promise<{ cwd: string }> };
  /** OpenDray's own database, for query history. */
  sql?: Sql;
  browser?: PgBrowser;
}

const EXPORT_MAX_ROWS = 50_000;

/** /api/pg/…: the PostgreSQL browser panel (read-only unless the panel's readOnly is off). */
export function createPgRoutes(deps: PgRouteDeps) {
  const browser = deps.browser ?? new PgBrowser();
  // A port or connections list that cannot work is refused when it is saved, not when the panel opens.
  deps.registry.checkConfigWith?.("pg", (config) => {
    pgSettings(config);
    configConnections(config);
  });
  const history = deps.sql ? new PgHistoryStore(deps.sql) : null;
  const source: ConnectionSource = {
    config: () => deps.registry.config("pg"),
    sessionCwd: async (id) => (await deps.sessions.get(id)).cwd,
  };
  const remember = async (conn: string, body: QueryBody, r: { rowCount: number; durationMs: number } | Error) => {
    if (!history) return;
    const entry =
      r instanceof Error
        ? { conn, sql: body.sql, ok: false, error: r.message }
        : { conn, sql: body.sql, ok: true, rowCount: r.rowCount, durationMs: r.durationMs };
    await history
      .add(entry)
      .catch((e) => log.warn("could not record pg query history", { error: (e as Error).message }));
  };
  const opts = { params: ConnParams, query: SessionQuery, body: QueryBodySchema };

  return new Elysia({ prefix: "/api/pg" })
    .use(requireAuth(deps.auth))
    .use(panelGuard(deps.registry, "pg"))
    .onStop(() => browser.close())
    .get(
      "/connections",
      async ({ query }) => {
        const { settings, connections } = await listConnections(source, query.sessionId);
        return { ...settings, connections: connections.map(connectionView) };
      },
      { query: SessionQuery },
    )
    .get(
      "/:conn/schema",
      async ({ params, query }) => {
        const { spec, settings } = await findConnection(source, params.conn, query.sessionId);
        return {
          connection: connectionView(spec),
          readOnly: settings.readOnly,
          ...(await browser.schema(spec, settings)),
        };
      },
      { params: ConnParams, query: SessionQuery },
    )
    .post(
      "/:conn/query",
      async ({ params, query, body }) => {
        const { spec, settings } = await findConnection(source, params.conn, query.sessionId);
        try {
          const r = await browser.query(spec, settings, body);
          await remember(params.conn, body, r);
          return r;
        } catch (e) {
          await remember(params.conn, body, e as Error);
          throw e;
        }
      },
      opts,
    )
    .post(
      "/:conn/explain",
      async ({ params, query, body }) => {
        const { spec, settings } = await findConnection(source, params.conn, query.sessionId);
        return browser.explain(spec, settings, body);
      },
      opts,
    )
    .post(
      "/:conn/export",
      async ({ params, query, body }) => {
        const { spec, settings } = await findConnection(source, params.conn, query.sessionId);
        const r = await browser.query(spec, settings, body, EXPORT_MAX_ROWS);
        return new Response(toCsv(r.columns, r.rows), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="${params.conn}-query.csv"`,
            "x-truncated": String(r.truncated),
            "x-row-count": String(r.rowCount),
          },
        });
      },
      opts,
    )
    .get(
      "/:conn/history",
      async ({ params, query }) => {
        if (!history) throw new AppError("unavailable", "query history needs OpenDray's database");
        await findConnection(source, params.conn, query.sessionId);
        return { entries: await history.list(params.conn, query.limit) };
      },
      { params: ConnParams, query: HistoryQuery },
    )
    .post(
      "/:conn/execute",
      async ({ params, query, body }) => {
        const { spec, settings } = await findConnection(source, params.conn, query.sessionId);
        const r = await browser.execute(spec, settings, body);
        await remember(params.conn, body, { rowCount: r.rowsAffected, durationMs: r.durationMs });
        return r;
      },
      opts,
    );
}
