import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { usageError } from "../errors";
import {
  type Answers,
  type Current,
  type ExternalDb,
  LOOPBACK,
  parseListen,
  parsePort,
  passwordProblem,
  SSL_MODES,
  type SslMode,
  secretProblem,
} from "./answers";

export const HELP = `Usage: opendray setup [flags]

Sets up OpenDray in four steps: database, listen address, admin account, JWT secret.
Without --yes it asks in the terminal, offering the current values and any flags as defaults.
Re-running keeps what you do not change.

Flags:
  --yes                       do not ask: take flags, then current values, then defaults
  --dry-run                   show what would be written, change nothing
  --db bundled|external       database (default: bundled)
  --db-host HOST              external database host (implies --db external)
  --db-port PORT              external database port (default 5432)
  --db-user USER              external database user (default opendray)
  --db-name NAME              external database name (default opendray)
  --db-password-file FILE     file holding the external database password
  --db-sslmode MODE           ${SSL_MODES.join(", ")} (default disable)
  --listen loopback|all|HOST:PORT   where the server listens (default loopback = ${LOOPBACK})
  --admin-user NAME           admin username (default admin)
  --admin-password-file FILE  file holding the admin password (8+ characters; required by --yes on first setup)
                              a FILE of - reads standard input (for one of the three secret files)
  --jwt-secret-file FILE      file holding the JWT secret (32+ characters; default: keep or generate)
  -h, --help                  this help

Exit codes: 0 done, 1 failed, 2 usage error.
`;

const options = {
  yes: { type: "boolean", short: "y" },
  "dry-run": { type: "boolean" },
  db: { type: "string" },
  "db-host": { type: "string" },
  "db-port": { type: "string" },
  "db-user": { type: "string" },
  "db-name": { type: "string" },
  "db-password-file": { type: "string" },
  "db-sslmode": { type: "string" },
  listen: { type: "string" },
  "admin-user": { type: "string" },
  "admin-password-file": { type: "string" },
  "jwt-secret-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Flag values, checked and with secret files read; every field optional. */
export interface Preset {
  yes: boolean;
  dryRun: boolean;
  help: boolean;
  db?: "bundled" | "external";
  external: Partial<ExternalDb>;
  listen?: string;
  adminUser?: string;
  adminPassword?: string;
  jwtSecret?: string;
}

/** A secret file's content without its trailing newline (what `echo secret > file` adds). */
function readSecret(flag: string, path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8").replace(/\r?\n$/, "");
  } catch (e) {
    throw usageError(`--${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function parseFlags(argv: string[]): Preset {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw usageError((e as Error).message);
  }
  const f = parsed.values;
  const preset: Preset = { yes: f.yes ?? false, dryRun: f["dry-run"] ?? false, help: f.help ?? false, external: {} };
  if (f.db !== undefined) {
    if (f.db !== "bundled" && f.db !== "external")
      throw usageError(`--db: expected bundled or external, got "${f.db}"`);
    preset.db = f.db;
  }
  if (f["db-host"] !== undefined) {
    if (!f["db-host"]) throw usageError("--db-host: must not be empty");
    if (preset.db === "bundled") throw usageError("--db-host only applies with --db external");
    preset.db = "external";
    preset.external.host = f["db-host"];
  }
  if (f["db-port"] !== undefined) {
    const port = parsePort(f["db-port"]);
    if (port === undefined) throw usageError(`--db-port: expected a port from 1 to 65535, got "${f["db-port"]}"`);
    preset.external.port = port;
  }
  if (f["db-user"] !== undefined) preset.external.user = f["db-user"];
  if (f["db-name"] !== undefined) preset.external.name = f["db-name"];
  if (f["db-password-file"] !== undefined)
    preset.external.password = readSecret("db-password-file", f["db-password-file"]);
  if (f["db-sslmode"] !== undefined) {
    if (!SSL_MODES.includes(f["db-sslmode"] as SslMode))
      throw usageError(`--db-sslmode: expected one of ${SSL_MODES.join(", ")}, got "${f["db-sslmode"]}"`);
    preset.external.sslmode = f["db-sslmode"] as SslMode;
  }
  if (f.listen !== undefined) {
    const listen = parseListen(f.listen);
    if ("error" in listen) throw usageError(`--listen: ${listen.error}`);
    preset.listen = listen.ok;
  }
  if (f["admin-user"] !== undefined) {
    if (!f["admin-user"].trim()) throw usageError("--admin-user: must not be empty");
    preset.adminUser = f["admin-user"].trim();
  }
  if (f["admin-password-file"] !== undefined) {
    const pw = readSecret("admin-password-file", f["admin-password-file"]);
    const problem = passwordProblem(pw);
    if (problem) throw usageError(`--admin-password-file: the password must have ${problem}`);
    preset.adminPassword = pw;
  }
  if (f["jwt-secret-file"] !== undefined) {
    const secret = readSecret("jwt-secret-file", f["jwt-secret-file"]).trim();
    const problem = secretProblem(secret);
    if (problem) throw usageError(`--jwt-secret-file: the secret must have ${problem}`);
    preset.jwtSecret = secret;
  }
  return preset;
}

export function externalDefaults(preset: Preset, current: Current): Partial<ExternalDb> & Omit<ExternalDb, "host"> {
  return {
    host: preset.external.host ?? current.external.host,
    port: preset.external.port ?? current.external.port ?? 5432,
    user: preset.external.user ?? current.external.user ?? "opendray",
    name: preset.external.name ?? current.external.name ?? "opendray",
    password: preset.external.password ?? current.external.password ?? "",
    sslmode: preset.external.sslmode ?? current.external.sslmode ?? "disable",
  };
}

/** --yes: every answer from flags, then the current config, then defaults. */
export function answersFromFlags(preset: Preset, current: Current): Answers {
  const mode = preset.db ?? current.dbMode ?? "bundled";
  let db: Answers["db"] = { mode: "bundled" };
  if (mode === "external") {
    const ext = externalDefaults(preset, current);
    if (!ext.host) throw usageError("--db-host is required with --db external");
    db = { mode: "external", ...ext, host: ext.host };
  }
  let admin: Answers["admin"];
  if (preset.adminPassword !== undefined)
    admin = { username: preset.adminUser ?? "admin", password: preset.adminPassword };
  else if (current.exists && preset.adminUser === undefined) admin = { username: "admin" };
  else
    throw usageError(
      "--admin-password-file is required with --yes" +
        (current.exists ? " when --admin-user is given" : " on first setup"),
    );
  const jwt: Answers["jwt"] = preset.jwtSecret
    ? { kind: "custom", secret: preset.jwtSecret }
    : current.jwtSecret
      ? { kind: "keep" }
      : { kind: "generate" };
  return { db, listen: preset.listen ?? current.listen ?? LOOPBACK, admin, jwt };
}
