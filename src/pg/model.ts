import * as v from "valibot";
import { limitParam } from "../shared/schema";

export const SSL_MODES = ["disable", "allow", "prefer", "require", "no-verify", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

const connName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, "a connection name: letters, digits, _ and -"),
);

export const ConnParams = v.object({ conn: connName });
export const SessionQuery = v.object({ sessionId: v.optional(v.pipe(v.string(), v.uuid("a session id"))) });

const param = v.nullable(v.union([v.string(), v.number(), v.boolean()]), "a string, number, boolean or null");
export const QueryBody = v.strictObject({
  sql: v.pipe(
    v.string("sql must be text"),
    v.trim(),
    v.minLength(1, "sql is required"),
    v.maxLength(100_000, "at most 100000 characters"),
  ),
  params: v.optional(v.pipe(v.array(param), v.maxLength(100, "at most 100 parameters")), []),
});
export type QueryBody = v.InferOutput<typeof QueryBody>;

export const HistoryQuery = v.object({
  ...SessionQuery.entries,
  limit: limitParam(200, 50),
});

/** One entry of the `connections` config field (a JSON list); passwords come only from env vars here. */
export const NamedConnection = v.strictObject({
  name: connName,
  host: v.optional(v.string(), "127.0.0.1"),
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)), 5432),
  database: v.optional(v.string(), "postgres"),
  user: v.optional(v.string(), "postgres"),
  passwordEnv: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"))),
  sslmode: v.optional(v.picklist(SSL_MODES, `one of ${SSL_MODES.join(", ")}`), "disable"),
});
export const NamedConnections = v.array(NamedConnection, "a JSON list of connections");

export interface ConnectionSpec {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  /** Where it came from: the panel config, or the session's .env. */
  source: "config" | "project";
}

export interface Column {
  name: string;
  /** The Postgres type name, such as int4 or text. */
  type: string;
}

export interface QueryResult {
  columns: Column[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  durationMs: number;
}
