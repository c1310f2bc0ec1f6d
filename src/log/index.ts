export type LogLevel = "debug" | "info" | "warn" | "error";
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: LogLevel = "info";
const SECRET_KEY = /pass|secret|token|key|authorization/i;

export function setLogLevel(level: LogLevel) {
  threshold = level;
}

function format(value: unknown): string {
  const text = value instanceof Error ? value.message : typeof value === "string" ? value : JSON.stringify(value);
  return /[\s"=]/.test(text ?? "") ? JSON.stringify(text) : String(text);
}

function write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}) {
  if (rank[level] < rank[threshold]) return;
  const parts = [new Date().toISOString(), level.toUpperCase(), msg];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    parts.push(`${k}=${SECRET_KEY.test(k) ? "[redacted]" : format(v)}`);
  }
  process.stderr.write(`${parts.join(" ")}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
