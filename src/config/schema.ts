import { isIP } from "node:net";
import * as v from "valibot";

const bool = v.pipe(
  v.union([v.boolean(), v.picklist(["true", "false", "1", "0", "yes", "no"])], "allowed values: true, false"),
  v.transform((x) => x === true || x === "true" || x === "1" || x === "yes"),
);
const count = (min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/, `a whole number from ${min} to ${max}`))]),
    v.transform(Number),
    v.integer(`a whole number from ${min} to ${max}`),
    v.minValue(min, `a whole number from ${min} to ${max}`),
    v.maxValue(max, `a whole number from ${min} to ${max}`),
  );
/** A duration in seconds, fractions allowed. */
const seconds = (min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, `seconds from ${min} to ${max}`))]),
    v.transform(Number),
    v.minValue(min, `seconds from ${min} to ${max}`),
    v.maxValue(max, `seconds from ${min} to ${max}`),
  );
const text = v.string();
const list = v.pipe(
  v.union([v.array(v.string()), v.string()]),
  v.transform((x) => (Array.isArray(x) ? x : x.split(",")).map((s) => s.trim()).filter(Boolean)),
);
const isIpOrCidr = (s: string) => {
  const [address = "", bits, extra] = s.split("/");
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
const ipList = v.pipe(
  list,
  v.check((ips) => ips.every(isIpOrCidr), "a list of IP addresses or CIDRs, for example 127.0.0.1, 10.0.0.0/8"),
);
const hostPort = v.pipe(
  v.string(),
  v.regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "host:port, for example 127.0.0.1:8640"),
  v.check((s) => {
    const port = Number(s.slice(s.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65535;
  }, "host:port with a port from 1 to 65535"),
);

const portRange = v.pipe(
  v.string(),
  v.regex(/^\d{1,5}-\d{1,5}$/, "a range of ports such as 8650-8699"),
  v.transform((s) => s.split("-").map(Number) as [number, number]),
  v.check(([a, b]) => a >= 1 && a <= b && b <= 65535, "a range of ports from 1 to 65535, low-high"),
);
const portList = v.pipe(
  list,
  v.check((xs) => xs.every((x) => /^\d{1,5}(-\d{1,5})?$/.test(x)), "ports or ranges, for example 3000, 8000-8100"),
  v.transform((xs) => xs.map((x) => x.split("-").map(Number)).map(([a = 0, b]) => [a, b ?? a] as [number, number])),
  v.check((rs) => rs.every(([a, b]) => a >= 1 && a <= b && b <= 65535), "ports from 1 to 65535, ranges low-high"),
);

export interface Setting {
  key: string;
  env?: string;
  schema: v.GenericSchema<unknown, unknown>;
  default?: unknown;
  secret?: boolean;
}

/** Every configurable value: its config.toml key, its env var, its schema and default. */
export const settings = [
  { key: "server.listen_addr", env: "LISTEN_ADDR", schema: hostPort, default: "127.0.0.1:8640" },
  {
    key: "server.log_level",
    env: "LOG_LEVEL",
    schema: v.picklist(["debug", "info", "warn", "error"], "allowed values: debug, info, warn, error"),
    default: "info",
  },
  { key: "server.allowed_origins", env: "ALLOWED_ORIGINS", schema: list, default: [] },
  {
    key: "server.rate_limit_mutations_per_min",
    env: "RATE_LIMIT_MUTATIONS_PER_MIN",
    schema: count(0, 1_000_000),
    default: 10,
  },
  { key: "server.trusted_proxies", env: "TRUSTED_PROXIES", schema: ipList, default: [] },
  { key: "server.tls_cert", env: "TLS_CERT_FILE", schema: v.pipe(text, v.minLength(1, "a file path")) },
  { key: "server.tls_key", env: "TLS_KEY_FILE", schema: v.pipe(text, v.minLength(1, "a file path")) },
  { key: "server.rate_limit_reads_per_min", env: "RATE_LIMIT_READS_PER_MIN", schema: count(0, 1_000_000), default: 60 },
  {
    key: "auth.jwt_secret",
    env: "JWT_SECRET",
    schema: v.pipe(text, v.minLength(32, "at least 32 characters")),
    secret: true,
  },
  { key: "auth.admin_username", env: "ADMIN_USERNAME", schema: v.pipe(text, v.minLength(1, "not empty")) },
  {
    key: "auth.admin_password",
    env: "ADMIN_PASSWORD",
    schema: v.pipe(text, v.minLength(8, "at least 8 characters")),
    secret: true,
  },
  {
    key: "db.mode",
    schema: v.pipe(
      v.picklist(["bundled", "embedded", "external"], "allowed values: bundled, external"),
      v.transform((m) => (m === "embedded" ? "bundled" : m)),
    ),
    default: "bundled",
  },
  { key: "db.embedded.password", schema: text, secret: true },
  { key: "db.external.host", env: "DB_HOST", schema: v.pipe(text, v.minLength(1, "not empty")) },
  { key: "db.external.port", env: "DB_PORT", schema: count(1, 65535), default: 5432 },
  { key: "db.external.user", env: "DB_USER", schema: text, default: "opendray" },
  { key: "db.external.password", env: "DB_PASSWORD", schema: text, default: "", secret: true },
  { key: "db.external.name", env: "DB_NAME", schema: text, default: "opendray" },
  {
    key: "db.external.sslmode",
    env: "DB_SSLMODE",
    schema: v.picklist(
      ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
      "allowed values: disable, allow, prefer, require, verify-ca, verify-full",
    ),
    default: "disable",
  },
  { key: "sessions.idle_threshold_seconds", env: "IDLE_THRESHOLD_SECONDS", schema: count(1, 86_400), default: 8 },
  { key: "sessions.auto_resume", env: "AUTO_RESUME", schema: bool, default: false },
  { key: "sessions.max_sessions", env: "MAX_SESSIONS", schema: count(1, 10_000), default: 50 },
  {
    key: "llm.first_byte_timeout_seconds",
    env: "LLM_FIRST_BYTE_TIMEOUT_SECONDS",
    schema: count(1, 3600),
    default: 60,
  },
  {
    key: "claude.assign",
    env: "CLAUDE_ASSIGN",
    schema: v.picklist(["least_recent", "ordered", "sticky"], "allowed values: least_recent, ordered, sticky"),
    default: "least_recent",
  },
  { key: "claude.failover", env: "CLAUDE_FAILOVER", schema: bool, default: true },
  { key: "sessions.log_max_mb", env: "SESSION_LOG_MAX_MB", schema: count(1, 1_048_576), default: 512 },
  { key: "sessions.max_lag_s", env: "SESSION_MAX_LAG_S", schema: seconds(0.1, 3600), default: 2 },
  { key: "plugins.dir", env: "PLUGIN_DIR", schema: text },
  { key: "files.roots", env: "FILES_ROOTS", schema: list, default: [] },
  { key: "telegram.bot_token", env: "OPENDRAY_TELEGRAM_BOT_TOKEN", schema: text, secret: true },
  {
    key: "telegram.api_root",
    env: "OPENDRAY_TELEGRAM_API_ROOT",
    schema: v.pipe(text, v.url("a URL such as https://api.telegram.org")),
  },
  { key: "telegram.allowed_chat_ids", env: "OPENDRAY_TELEGRAM_ALLOWED_CHAT_IDS", schema: list, default: [] },
  {
    key: "preview.mode",
    env: "PREVIEW_MODE",
    schema: v.picklist(["origin", "domain", "path"], "allowed values: origin, domain, path"),
    default: "origin",
  },
  { key: "preview.port_range", env: "PREVIEW_PORT_RANGE", schema: portRange, default: "8650-8699" },
  {
    key: "preview.domain",
    env: "PREVIEW_DOMAIN",
    schema: v.pipe(text, v.regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, "a domain name such as preview.example.com")),
  },
  { key: "preview.allow_ports", env: "PREVIEW_ALLOW_PORTS", schema: portList, default: [] },
  { key: "preview.browser", env: "PREVIEW_BROWSER", schema: text, default: "/usr/bin/chromium" },
  { key: "mcp.ask_timeout_seconds", env: "MCP_ASK_TIMEOUT_SECONDS", schema: count(1, 86_400), default: 1800 },
  { key: "mcp.idle_shutdown_seconds", env: "MCP_IDLE_SHUTDOWN_SECONDS", schema: count(1, 86_400), default: 300 },
  {
    key: "mcp.disabled_builtins",
    env: "MCP_DISABLED_BUILTINS",
    schema: v.pipe(
      list,
      v.check(
        (xs) => xs.every((x) => ["notify_user", "ask_user", "session_diff", "preview_screenshot"].includes(x)),
        "a list of notify_user, ask_user, session_diff, preview_screenshot",
      ),
    ),
    default: [],
  },
] as const satisfies readonly Setting[];

export type SettingKey = (typeof settings)[number]["key"];
