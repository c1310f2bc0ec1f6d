import { existsSync } from "node:fs";
import * as v from "valibot";
import { readConfigFile, settings } from "../../config";

export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
export const SSL_MODES: SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

export interface ExternalDb {
  host: string;
  port: number;
  user: string;
  name: string;
  password: string;
  sslmode: SslMode;
}

export interface Answers {
  db: { mode: "bundled" } | ({ mode: "external" } & ExternalDb);
  listen: string;
  /** password undefined keeps the admin account already in the database. */
  admin: { username: string; password?: string };
  jwt: { kind: "keep" } | { kind: "generate" } | { kind: "custom"; secret: string };
}

/** What an earlier `opendray setup` left in config.toml: the defaults for this run. */
export interface Current {
  exists: boolean;
  listen?: string;
  dbMode?: "bundled" | "external";
  external: Partial<ExternalDb>;
  jwtSecret?: string;
}

export const LOOPBACK = "127.0.0.1:8640";
export const ALL_INTERFACES = "0.0.0.0:8640";
export const MIN_PASSWORD = 8;
export const MIN_JWT_SECRET = 32;

const str = (x: unknown) => (typeof x === "string" && x !== "" ? x : undefined);

export function readCurrent(path: string): Current {
  const file = readConfigFile(path) as Record<string, Record<string, unknown> | undefined>;
  const db = (file.db ?? {}) as Record<string, unknown>;
  const ext = (db.external ?? {}) as Record<string, unknown>;
  const mode = str(db.mode);
  const port = Number(ext.port);
  return {
    exists: existsSync(path),
    listen: str(file.server?.listen_addr),
    dbMode: mode === "external" ? "external" : mode ? "bundled" : undefined,
    external: {
      host: str(ext.host),
      port: Number.isInteger(port) && port > 0 ? port : undefined,
      user: str(ext.user),
      name: str(ext.name),
      password: str(ext.password),
      sslmode: SSL_MODES.includes(ext.sslmode as SslMode) ? (ext.sslmode as SslMode) : undefined,
    },
    jwtSecret: str(file.auth?.jwt_secret),
  };
}

const listenSchema = settings.find((s) => s.key === "server.listen_addr")?.schema;

/** loopback | all | host:port → host:port, or an error message. */
export function parseListen(value: string): { ok: string } | { error: string } {
  const v2 = value.trim();
  if (v2 === "loopback") return { ok: LOOPBACK };
  if (v2 === "all") return { ok: ALL_INTERFACES };
  const result = listenSchema ? v.safeParse(listenSchema, v2) : { success: false as const, issues: [] };
  return result.success
    ? { ok: v2 }
    : { error: `expected loopback, all or host:port (for example 127.0.0.1:8640), got "${value}"` };
}

export function parsePort(value: string): number | undefined {
  const port = Number(value);
  return /^\d+$/.test(value.trim()) && port >= 1 && port <= 65535 ? port : undefined;
}

export const passwordProblem = (pw: string) =>
  pw.length < MIN_PASSWORD ? `at least ${MIN_PASSWORD} characters` : undefined;
export const secretProblem = (s: string) =>
  s.length < MIN_JWT_SECRET ? `at least ${MIN_JWT_SECRET} characters` : undefined;

export function passwordStrength(pw: string): "weak" | "fair" | "strong" {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length >= 14 && classes >= 3) return "strong";
  if (pw.length >= 10 && classes >= 2) return "fair";
  return "weak";
}

export function summary(a: Answers, configPath: string): string {
  const db =
    a.db.mode === "bundled"
      ? "bundled PostgreSQL (managed by OpenDray)"
      : `external ${a.db.user}@${a.db.host}:${a.db.port}/${a.db.name} (sslmode ${a.db.sslmode})`;
  const jwt = { keep: "keep the current secret", generate: "generate a new secret", custom: "use the pasted secret" }[
    a.jwt.kind
  ];
  const admin = a.admin.password === undefined ? `keep the current account` : `${a.admin.username} (new password)`;
  return [
    `Database:  ${db}`,
    `Listen:    ${a.listen}`,
    `Admin:     ${admin}`,
    `JWT:       ${jwt}`,
    `Config:    ${configPath}`,
  ].join("\n");
}
