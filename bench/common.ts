import { startServer, type StartOptions, type TestServer } from "../tests/harness";
import { SessionSocket } from "../tests/ws-client";

export { SessionSocket, startServer, type TestServer };

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

export async function benchServer(opts: StartOptions = {}) {
  return startServer({ ...opts, env: { LOG_LEVEL: "error", MAX_SESSIONS: "500", ...opts.env } });
}

export async function shellSession(server: TestServer, extra: Record<string, unknown> = {}) {
  const r = await server.api("/api/sessions", { method: "POST", json: { cwd: "/tmp", ...extra } });
  if (r.status !== 201) throw new Error(`create failed: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export function rssKiB(pid: number): number {
  const status = require("node:fs").readFileSync(`/proc/${pid}/status`, "utf8") as string;
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}
