import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as v from "valibot";
import { log } from "../log";
import { clearFault, reportFault } from "../shared/faults";
import { configPath, homePaths, opendrayHome } from "./paths";
import { type SettingKey, settings } from "./schema";
import { parseToml, stringifyToml, type TomlTables } from "./toml";

export { homePaths } from "./paths";
export { settings } from "./schema";

export type Source = "env" | "file" | "default" | "generated" | "unset";

export class ConfigError extends Error {}

export interface Config {
  home: string;
  configPath: string;
  paths: ReturnType<typeof homePaths>;
  server: {
    listenAddr: string;
    host: string;
    port: number;
    logLevel: "debug" | "info" | "warn" | "error";
    allowedOrigins: string[];
    rateLimitMutationsPerMin: number;
    rateLimitReadsPerMin: number;
    /** Proxies whose X-Forwarded-For names the client (IPs or CIDRs). */
    trustedProxies: string[];
    /** PEM files for built-in HTTPS; both or neither. */
    tls?: { cert: string; key: string };
  };
  auth: { jwtSecret: string; adminUsername?: string; adminPassword?: string };
  db: {
    mode: "bundled" | "external";
    embedded: { password: string };
    external: { host: string; port: number; user: string; password: string; name: string; sslmode: string };
  };
  sessions: {
    idleThresholdSeconds: number;
    autoResume: boolean;
    maxSessions: number;
    /** Cap of each session's output log on disk, in MiB (oldest output dropped first). */
    logMaxMb: number;
    /** A client further behind the live output than this is shown the screen instead (seconds). */
    maxLagSeconds: number;
  };
  /** The model gateway: how long an endpoint may take to answer before the next fallback is tried. */
  llm: { firstByteTimeoutSeconds: number };
  /** MCP gateway: how long ask_user waits, when an unused shared server stops, built-ins turned off. */
  mcp: { askTimeoutSeconds: number; idleShutdownSeconds: number; disabledBuiltins: string[] };
  /** Claude accounts: which one a new session gets, and whether a usage limit moves it to another. */
  claude: { assign: "least_recent" | "ordered" | "sticky"; failover: boolean };
  plugins: { dir: string };
  /** Roots the files routes reach by name besides a session's cwd: `name=/abs/path` or `/abs/path`. */
  files: { roots: string[] };
  telegram: { botToken?: string; apiRoot?: string; allowedChatIds: string[] };
  /** Set by the container image (OPENDRAY_IN_CONTAINER=1): the engine decides who can reach the port. */
  inContainer: boolean;
  preview: {
    mode: "origin" | "domain" | "path";
    portRange: [number, number];
    domain?: string;
    allowPorts: [number, number][];
    browser: string;
  };
  sources: Record<SettingKey, Source>;
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export const newSecret = () => randomBytes(48).toString("base64url");

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    return parseToml(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`${path}: not valid TOML (${(e as Error).message})`);
  }
}

/** Resolves every setting from env > config file > default and validates it with its schema. */
export function resolveValues(file: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const values = {} as Record<SettingKey, unknown>;
  const sources = {} as Record<SettingKey, Source>;
  const problems: string[] = [];
  for (const s of settings) {
    const fromEnv = "env" in s && s.env ? env[s.env] : undefined;
    const fromFile = lookup(file, s.key);
    const [raw, source]: [unknown, Source] =
      fromEnv !== undefined && fromEnv !== ""
        ? [fromEnv, "env"]
        : fromFile !== undefined
          ? [fromFile, "file"]
          : "default" in s
            ? [s.default, "default"]
            : [undefined, "unset"];
    sources[s.key] = source;
    if (raw === undefined) continue;
    const result = v.safeParse(s.schema, raw);
    if (result.success) values[s.key] = result.output;
    else {
      const name = source === "env" && "env" in s ? s.env : s.key;
      problems.push(`${name}: ${result.issues[0]?.message ?? "invalid"} (got ${JSON.stringify(raw)})`);
    }
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  return { values, sources };
}

function tlsFiles(cert?: string, key?: string): Config["server"]["tls"] {
  if (!cert && !key) return undefined;
  if (!cert || !key)
    throw new ConfigError(
      `server.${cert ? "tls_key" : "tls_cert"}: set both server.tls_cert and server.tls_key (TLS_CERT_FILE, TLS_KEY_FILE) for HTTPS`,
    );
  for (const [name, file] of [
    ["tls_cert", cert],
    ["tls_key", key],
  ] as const)
    if (!existsSync(file)) throw new ConfigError(`server.${name}: no such file ${file}`);
  return { cert, key };
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Write generated secrets back to config.toml (the server does; read-only commands do not). */
  persistGenerated?: boolean;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const home = opendrayHome(env);
  const path = configPath(env);
  const file = readConfigFile(path);
  const { values, sources } = resolveValues(file, env);
  const get = <T>(key: SettingKey) => values[key] as T;

  const listenAddr = get<string>("server.listen_addr");
  const cut = listenAddr.lastIndexOf(":");
  const host = listenAddr.slice(0, cut).replace(/^\[|\]$/g, "");
  const generated: TomlTables = {};
  let jwtSecret = get<string | undefined>("auth.jwt_secret");
  if (!jwtSecret) {
    // Checked before a secret is generated: a fresh home must not quietly listen on the network either.
    if (!isLoopbackHost(host)) {
      throw new ConfigError(
        `refusing to listen on ${listenAddr} (off loopback) without a JWT secret: set JWT_SECRET or run "opendray setup"`,
      );
    }
    jwtSecret = newSecret();
    sources["auth.jwt_secret"] = "generated";
    generated.auth = { jwt_secret: jwtSecret };
  }
  let pgPassword = get<string | undefined>("db.embedded.password");
  if (!pgPassword) {
    pgPassword = randomBytes(24).toString("base64url");
    sources["db.embedded.password"] = "generated";
    generated["db.embedded"] = { password: pgPassword };
  }
  if (options.persistGenerated && Object.keys(generated).length) persistGenerated(path, generated);

  const dbHost = get<string | undefined>("db.external.host");
  const mode = dbHost ? "external" : get<"bundled" | "external">("db.mode");
  if (mode === "external" && !dbHost)
    throw new ConfigError("db.external.host: required when db.mode is external (or set DB_HOST)");

  return {
    home,
    configPath: path,
    paths: homePaths(home),
    server: {
      listenAddr,
      host,
      port: Number(listenAddr.slice(cut + 1)),
      logLevel: get("server.log_level"),
      allowedOrigins: get("server.allowed_origins"),
      rateLimitMutationsPerMin: get("server.rate_limit_mutations_per_min"),
      rateLimitReadsPerMin: get("server.rate_limit_reads_per_min"),
      trustedProxies: get("server.trusted_proxies"),
      tls: tlsFiles(get("server.tls_cert"), get("server.tls_key")),
    },
    auth: { jwtSecret, adminUsername: get("auth.admin_username"), adminPassword: get("auth.admin_password") },
    db: {
      mode,
      embedded: { password: pgPassword },
      external: {
        host: dbHost ?? "",
        port: get("db.external.port"),
        user: get("db.external.user"),
        password: get("db.external.password"),
        name: get("db.external.name"),
        sslmode: get("db.external.sslmode"),
      },
    },
    sessions: {
      idleThresholdSeconds: get("sessions.idle_threshold_seconds"),
      autoResume: get("sessions.auto_resume"),
      maxSessions: get("sessions.max_sessions"),
      logMaxMb: get("sessions.log_max_mb"),
      maxLagSeconds: get("sessions.max_lag_s"),
    },
    llm: { firstByteTimeoutSeconds: get("llm.first_byte_timeout_seconds") },
    claude: { assign: get("claude.assign"), failover: get("claude.failover") },
    mcp: {
      askTimeoutSeconds: get("mcp.ask_timeout_seconds"),
      idleShutdownSeconds: get("mcp.idle_shutdown_seconds"),
      disabledBuiltins: get("mcp.disabled_builtins"),
    },
    plugins: { dir: get<string | undefined>("plugins.dir") ?? homePaths(home).plugins },
    files: { roots: get("files.roots") },
    telegram: {
      botToken: get("telegram.bot_token"),
      apiRoot: get("telegram.api_root"),
      allowedChatIds: get("telegram.allowed_chat_ids"),
    },
    inContainer: env.OPENDRAY_IN_CONTAINER === "1",
    preview: {
      // A wildcard domain configured means domain mode, unless a mode is chosen.
      mode: sources["preview.mode"] === "default" && get("preview.domain") ? "domain" : get("preview.mode"),
      portRange: get("preview.port_range"),
      domain: get("preview.domain"),
      allowPorts: get("preview.allow_ports"),
      browser: get("preview.browser"),
    },
    sources,
  };
}

/** Merges `tables` into config.toml atomically (temp file + rename), file 0600, dir 0700. */
export function saveConfigValues(path: string, tables: TomlTables) {
  const current = readConfigFile(path);
  const merged: TomlTables = {};
  const flatten = (node: Record<string, unknown>, prefix: string) => {
    for (const [k, val] of Object.entries(node)) {
      if (k === "schema_version") continue;
      if (typeof val === "object" && val !== null && !Array.isArray(val))
        flatten(val as Record<string, unknown>, prefix ? `${prefix}.${k}` : k);
      else if (prefix) {
        merged[prefix] ??= {};
        merged[prefix][k] = val as string;
      }
    }
  };
  flatten(current, "");
  for (const [table, entries] of Object.entries(tables)) merged[table] = { ...merged[table], ...entries };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, stringifyToml(merged), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const PERSIST_RETRY_MS = 5000;

/**
 * Saves secrets generated on first run. A disk that refuses the write (ENOSPC…) does not stop the
 * server: it runs with them in memory, says so in the log and /api/health, and retries until saved.
 */
function persistGenerated(path: string, tables: TomlTables) {
  const attempt = (first: boolean) => {
    try {
      saveConfigValues(path, tables);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (first) log.error("generated secrets not saved to the config file; retrying", { file: path, error });
      reportFault("disk:config", "disk", `${path} not saved (${code === "ENOSPC" ? "disk full" : code})`);
      setTimeout(() => attempt(false), PERSIST_RETRY_MS).unref();
      return;
    }
    if (!first) log.info("generated secrets saved to the config file", { file: path });
    clearFault("disk:config");
  };
  attempt(true);
}

export function ensureHomeDirs(config: Config) {
  for (const dir of [config.home, config.paths.run, config.paths.logs, config.paths.pg]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
