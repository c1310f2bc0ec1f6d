import postgres, { type ReservedSql, type Sql } from "postgres";
import { AppError } from "../errors";
import { log } from "../log";
import type { ConnectionSpec } from "./model";

/** The role queries switch to: granted only pg_read_all_data. */
export const READER_ROLE = "opendray_reader";

/** How a connection's queries are kept from writing beyond the read-only transaction. */
export type ReaderMode =
  /** SET LOCAL ROLE to the reader role. */
  | { role: string; note?: undefined }
  /** The configured user is not a superuser and no reader role could be used: queries run as it. */
  | { role: null; note: string }
  /** A superuser without a reader role: queries are refused. */
  | { role: null; refused: string; note: string };

function sslOption(spec: ConnectionSpec): postgres.Options<Record<string, never>>["ssl"] {
  switch (spec.sslmode) {
    case "disable":
      return false;
    case "allow":
    case "prefer":
      return spec.sslmode;
    case "require":
    case "no-verify":
      return { rejectUnauthorized: false };
    case "verify-ca":
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return "verify-full";
  }
}

export function openPool(spec: ConnectionSpec): Sql {
  const socket = spec.host.startsWith("/");
  return postgres({
    ...(socket ? { path: `${spec.host.replace(/\/$/, "")}/.s.PGSQL.${spec.port}` } : { host: spec.host }),
    port: spec.port,
    database: spec.database,
    user: spec.user,
    password: spec.password,
    ssl: socket ? false : sslOption(spec),
    max: 4,
    idle_timeout: 60,
    connect_timeout: 10,
    prepare: false,
    // Dates and times as Postgres writes them, not shifted into JS Dates.
    types: { datetime: { to: 1184, from: [1082, 1083, 1114, 1184, 1266], serialize: String, parse: (s: string) => s } },
    onnotice: () => {},
    connection: { application_name: "opendray-pg-panel" },
  });
}

/** Sets up (once per pool) the reader role, or says why queries cannot use one. */
export async function readerMode(sql: Sql): Promise<ReaderMode> {
  const [me] = await sql<{ user: string; superuser: boolean; createrole: boolean; member: boolean | null }[]>`
    SELECT current_user AS user, r.rolsuper AS superuser, r.rolcreaterole AS createrole,
           (SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = ${READER_ROLE}) AS member
    FROM pg_roles r WHERE r.rolname = current_user`;
  if (!me) throw new Error("current_user has no pg_roles row");
  if (me.member) return { role: READER_ROLE };
  if (me.member === null && (me.superuser || me.createrole)) {
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(`CREATE ROLE ${READER_ROLE} NOLOGIN`);
        await tx.unsafe(`GRANT pg_read_all_data TO ${READER_ROLE}`);
        if (!me.superuser) await tx`GRANT ${tx(READER_ROLE)} TO ${tx(me.user)}`;
      });
      log.info("created the pg panel's read-only role", { role: READER_ROLE });
      return { role: READER_ROLE };
    } catch (e) {
      if ((e as { code?: string }).code === "42710") return readerMode(sql); // created concurrently
      log.warn("could not create the pg panel's read-only role", { error: (e as Error).message });
    }
  }
  const note = `queries run as ${me.user}: the role ${READER_ROLE} (granted pg_read_all_data) is not available to it`;
  if (me.superuser)
    return {
      role: null,
      note,
      refused: `${me.user} is a superuser and the read-only role ${READER_ROLE} could not be set up; connect as a user that is not a superuser`,
    };
  return { role: null, note };
}

/** Postgres' own messages for errors, as AppErrors: refusals of writes are 403, the rest 400. */
export function pgError(e: unknown, timeoutMs: number): AppError {
  if (e instanceof AppError) return e;
  const err = e as { code?: string; message?: string; position?: string };
  const extra = { pgCode: err.code, ...(err.position ? { position: Number(err.position) } : {}) };
  switch (err.code) {
    case "25006":
    case "42501":
    case "0A000":
      return new AppError("forbidden", `refused by Postgres: ${err.message}`, undefined, {
        ...extra,
        reason: "read_only",
      });
    case "57014":
      return new AppError("bad_request", `the query ran longer than the ${timeoutMs} ms statement timeout`, undefined, {
        ...extra,
        reason: "timeout",
      });
    case "28P01":
    case "28000":
    case "3D000":
      return new AppError("unavailable", `cannot connect: ${err.message}`, undefined, extra);
  }
  if (err.code && /^[0-9A-Z]{5}$/.test(err.code))
    return new AppError("bad_request", err.message ?? "query failed", undefined, extra);
  const sys = (e as { code?: string }).code ?? "";
  if (/^E[A-Z]+$/.test(sys) || /CONNECT_TIMEOUT|CONNECTION/.test(sys) || err.message?.includes("connect"))
    return new AppError("unavailable", `cannot connect to Postgres: ${err.message ?? sys}`);
  return new AppError("bad_request", err.message ?? String(e));
}

export type { ReservedSql, Sql };
