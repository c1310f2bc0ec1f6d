import postgres, { type Sql } from "postgres";
import type { Config } from "../config";
import { log } from "../log";
import { EMBEDDED_DB, EMBEDDED_USER, type EmbeddedPg, startEmbeddedPg } from "./embedded-pg";
import { migrate } from "./migrate";
import { postmasterPid } from "./postmaster";
import { watchDatabase } from "./watchdog";

export type { Sql } from "postgres";
export { postmasterPid } from "./postmaster";
export { dbUnavailable, isDbUnavailable } from "./unavailable";
export { WriteQueue } from "./write-queue";

export interface Store {
  sql: Sql;
  readonly embedded?: EmbeddedPg;
  /** false while the database cannot be reached (the server keeps reconnecting) */
  dbUp(): boolean;
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

/** The role the server connects as in bundled mode: owns the database and its tables, not a superuser. */
export const SERVER_ROLE = "opendray_server";

const asSuperuser = (pg: EmbeddedPg, database: string) =>
  postgres({ path: pg.socketPath, user: EMBEDDED_USER, password: pg.password, database, max: 1, ...quiet });

/**
 * The bootstrap superuser (from initdb) creates the database and its owner role; the server then
 * connects as the owner. Clusters from before hand their database and tables over to the owner.
 */
async function ensureDatabase(pg: EmbeddedPg) {
  const literal = `'${pg.password.replaceAll("'", "''")}'`;
  const admin = asSuperuser(pg, "postgres");
  try {
    const [role] = await admin`SELECT 1 AS ok FROM pg_roles WHERE rolname = ${SERVER_ROLE}`;
    await admin.unsafe(
      `${role ? "ALTER" : "CREATE"} ROLE ${SERVER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal}`,
    );
    const [db] = await admin<{ owner: string }[]>`
      SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ${EMBEDDED_DB}`;
    if (!db) await admin.unsafe(`CREATE DATABASE ${EMBEDDED_DB} OWNER ${SERVER_ROLE}`);
    else if (db.owner !== SERVER_ROLE) await admin.unsafe(`ALTER DATABASE ${EMBEDDED_DB} OWNER TO ${SERVER_ROLE}`);
  } finally {
    await admin.end();
  }
  const inDb = asSuperuser(pg, EMBEDDED_DB);
  try {
    const tables = await inDb<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) <> ${SERVER_ROLE}`;
    for (const t of tables) await inDb.unsafe(`ALTER TABLE public."${t.name}" OWNER TO ${SERVER_ROLE}`);
  } finally {
    await inDb.end();
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
  const startBundled = () =>
    startEmbeddedPg({
      pgDir: config.paths.pg,
      password: config.db.embedded.password,
      logFile: `${config.paths.logs}/postgres.log`,
    });
  if (config.db.mode === "bundled") {
    embedded = await startBundled();
    await ensureDatabase(embedded);
    sql = postgres({
      path: embedded.socketPath,
      user: SERVER_ROLE,
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
  const dataDir = embedded?.dataDir;
  const watch = watchDatabase({
    sql,
    bundled: dataDir
      ? {
          alive: () => postmasterPid(dataDir) !== undefined,
          restart: async () => {
            embedded = await startBundled();
          },
        }
      : undefined,
  });
  return {
    sql,
    get embedded() {
      return embedded;
    },
    dbUp: watch.up,
    async close() {
      watch.stop();
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
