import postgres, { type Sql } from "postgres";
import type { Config } from "../config";
import { log } from "../log";
import { EMBEDDED_DB, EMBEDDED_USER, type EmbeddedPg, startEmbeddedPg } from "./embedded-pg";
import { migrate } from "./migrate";

export type { Sql } from "postgres";
export { postmasterPid } from "./postmaster";

export interface Store {
  sql: Sql;
  embedded?: EmbeddedPg;
  close(): Promise<void>;
}

const quiet = { onnotice: () => {} };

/**
 * How the server's one `sql` reads rows: columns in camelCase (JSON values keep their keys) and
 * int8 (byte cursors, Telegram ids) as a JS number, exact up to 2^53.
 */
const rowStyle = {
  transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
  types: {
    bigint: { to: 20, from: [20], serialize: (n: number | bigint) => String(n), parse: (s: string) => Number(s) },
  },
};

async function ensureDatabase(pg: EmbeddedPg) {
  const admin = postgres({
    path: pg.socketPath,
    user: EMBEDDED_USER,
    password: pg.password,
    database: "postgres",
    max: 1,
    ...quiet,
  });
  try {
    const [row] = await admin`SELECT 1 AS ok FROM pg_database WHERE datname = ${EMBEDDED_DB}`;
    if (!row) await admin.unsafe(`CREATE DATABASE ${EMBEDDED_DB}`);
  } finally {
    await admin.end();
  }
}

export function externalOptions(ext: Config["db"]["external"], connectTimeoutSec = 10) {
  return {
    host: ext.host,
    port: ext.port,
    user: ext.user,
    password: ext.password,
    database: ext.name,
    ssl:
      ext.sslmode === "disable"
        ? false
        : ext.sslmode === "allow" || ext.sslmode === "prefer"
          ? ("prefer" as const)
          : ("require" as const),
    connect_timeout: connectTimeoutSec,
  };
}

/** Connects to an external Postgres and checks its version (the setup wizard's connection test). */
export async function testConnection(ext: Config["db"]["external"], timeoutMs = 5000): Promise<{ version: string }> {
  const sql = postgres({ ...externalOptions(ext, Math.ceil(timeoutMs / 1000)), max: 1, ...quiet });
  try {
    const [row] = await sql<{ server_version: string }[]>`SHOW server_version`;
    return { version: row?.server_version ?? "unknown" };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Starts the bundled Postgres (or connects to the external one) and applies migrations. */
export async function openStore(config: Config): Promise<Store> {
  let embedded: EmbeddedPg | undefined;
  let sql: Sql;
  if (config.db.mode === "bundled") {
    embedded = await startEmbeddedPg({
      pgDir: config.paths.pg,
      password: config.db.embedded.password,
      logFile: `${config.paths.logs}/postgres.log`,
    });
    await ensureDatabase(embedded);
    sql = postgres({
      path: embedded.socketPath,
      user: EMBEDDED_USER,
      password: embedded.password,
      database: EMBEDDED_DB,
      max: 10,
      ...quiet,
      ...rowStyle,
    });
  } else {
    sql = postgres({ ...externalOptions(config.db.external), max: 10, ...quiet, ...rowStyle });
    const [row] = await sql<{ v: number }[]>`SELECT current_setting('server_version_num')::int AS v`;
    if ((row?.v ?? 0) < 140000) throw new Error(`PostgreSQL 14 or newer is required (found ${row?.v})`);
  }
  await migrate(sql);
  log.info("database ready", { mode: config.db.mode });
  return {
    sql,
    embedded,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
