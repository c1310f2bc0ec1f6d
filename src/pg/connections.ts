import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { AppError, notFound } from "../errors";
import type { ConfigValue } from "../plugins/config-values";
import { type ConnectionSpec, NamedConnections, SSL_MODES, type SslMode } from "./model";

/** The panel-wide settings that apply to every connection. */
export interface PgSettings {
  readOnly: boolean;
  statementTimeoutMs: number;
  maxRows: number;
  projectEnv: boolean;
}

const int = (raw: ConfigValue | undefined, fallback: number, min: number, max: number, key: string) => {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const message = `a whole number from ${min} to ${max}`;
    throw new AppError("bad_request", `the pg panel's ${key} must be ${message}`, [{ path: key, message }]);
  }
  return n;
};

export function pgSettings(config: Record<string, ConfigValue>): PgSettings {
  return {
    readOnly: config.readOnly !== false,
    statementTimeoutMs: int(config.statementTimeoutMs, 30_000, 100, 3_600_000, "statementTimeoutMs"),
    maxRows: int(config.maxRows, 1000, 1, 100_000, "maxRows"),
    projectEnv: config.projectEnv === true,
  };
}

const str = (raw: ConfigValue | undefined, fallback: string) => (typeof raw === "string" && raw ? raw : fallback);
const sslmode = (raw: ConfigValue | undefined): SslMode =>
  (SSL_MODES as readonly string[]).includes(String(raw)) ? (raw as SslMode) : "disable";
const fromEnv = (name: string | undefined) => (name ? process.env[name] : undefined);

/** The connections the panel config names: the flat fields are `default`, then the `connections` list. */
export function configConnections(config: Record<string, ConfigValue>): ConnectionSpec[] {
  const out: ConnectionSpec[] = [
    {
      name: "default",
      host: str(config.host, "127.0.0.1"),
      port: int(config.port, 5432, 1, 65535, "port"),
      database: str(config.database, "postgres"),
      user: str(config.user, "postgres"),
      password: str(config.password, "") || fromEnv(str(config.passwordEnv, "") || undefined),
      sslmode: sslmode(config.sslmode),
      source: "config",
    },
  ];
  const list = str(config.connections, "").trim();
  if (!list) return out;
  let json: unknown;
  try {
    json = JSON.parse(list);
  } catch {
    throw new AppError("bad_request", "the pg panel's connections setting is not valid JSON", [
      { path: "connections", message: "not valid JSON" },
    ]);
  }
  const parsed = v.safeParse(NamedConnections, json);
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => ({ path: `connections.${v.getDotPath(i) ?? ""}`, message: i.message }));
    throw new AppError("bad_request", `the pg panel's connections setting is invalid: ${issues[0]?.path}`, issues);
  }
  for (const c of parsed.output) {
    if (out.some((o) => o.name === c.name))
      throw new AppError("bad_request", `the pg panel's connections setting names "${c.name}" twice`, [
        { path: "connections", message: `names "${c.name}" twice` },
      ]);
    out.push({ ...c, password: fromEnv(c.passwordEnv), source: "config" });
  }
  return out;
}

/** DATABASE_URL from `<cwd>/.env`, as the connection named `project`; null when there is none. */
export function projectConnection(cwd: string): ConnectionSpec | null {
  const file = join(cwd, ".env");
  if (!existsSync(file)) return null;
  const line = readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^export\s+/, ""))
    .find((l) => l.startsWith("DATABASE_URL="));
  if (!line) return null;
  const raw = line
    .slice("DATABASE_URL=".length)
    .trim()
    .replace(/^(["'])(.*)\1$/, "$2");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("bad_request", "DATABASE_URL in the session's .env is not a URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new AppError("bad_request", "DATABASE_URL in the session's .env is not a postgres:// URL");
  const socketHost = url.searchParams.get("host");
  return {
    name: "project",
    host: socketHost || decodeURIComponent(url.hostname) || "127.0.0.1",
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    user: decodeURIComponent(url.username) || "postgres",
    password: url.password ? decodeURIComponent(url.password) : undefined,
    sslmode: sslmode(url.searchParams.get("sslmode") ?? "disable"),
    source: "project",
  };
}

export interface ConnectionSource {
  /** The pg panel's effective config (secrets included). */
  config(): Record<string, ConfigValue>;
  /** The session's working directory; throws a not_found AppError for unknown ids. */
  sessionCwd(id: string): Promise<string>;
}

/** Every connection available to a request: the configured ones, and `project` when opted in. */
export async function listConnections(src: ConnectionSource, sessionId?: string) {
  const config = src.config();
  const settings = pgSettings(config);
  const all = configConnections(config);
  if (settings.projectEnv && sessionId) {
    const project = projectConnection(await src.sessionCwd(sessionId));
    if (project) all.push(project);
  }
  return { settings, connections: all };
}

export async function findConnection(src: ConnectionSource, name: string, sessionId?: string) {
  const { settings, connections } = await listConnections(src, sessionId);
  const spec = connections.find((c) => c.name === name);
  if (!spec) {
    const hint = name === "project" && !settings.projectEnv ? " (turn on DATABASE_URL from .env in the panel)" : "";
    throw notFound(`connection "${name}"${hint}`);
  }
  return { settings, spec };
}

/** A connection as the API shows it: no password, only whether one is set. */
export const connectionView = (c: ConnectionSpec) => ({
  name: c.name,
  host: c.host,
  port: c.port,
  database: c.database,
  user: c.user,
  sslmode: c.sslmode,
  source: c.source,
  passwordSet: !!c.password,
});
