import { type StartOptions, startServer, type TestServer } from "../tests/harness";

export { startServer, type TestServer };

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

/**
 * A lean session client for benchmarks: it counts output bytes and keeps none, like a terminal that
 * renders and forgets (the tests' SessionSocket keeps every chunk for its assertions).
 */
export class StreamClient {
  readonly ws: WebSocket;
  /** Cursor after the attach replay. */
  cursor = -1;
  onBytes: (bytes: ArrayBuffer) => void = () => {};

  private constructor(server: TestServer, id: string) {
    const q = new URLSearchParams({ token: server.token });
    this.ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/sessions/${id}/ws?${q}`);
    this.ws.binaryType = "arraybuffer";
  }

  static attach(server: TestServer, id: string): Promise<StreamClient> {
    const client = new StreamClient(server, id);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no replay_end within 15 s")), 15_000);
      client.ws.onerror = () => reject(new Error("websocket error"));
      client.ws.onmessage = (e) => {
        if (typeof e.data !== "string") return client.onBytes(e.data as ArrayBuffer);
        const m = JSON.parse(e.data);
        if (m.type === "replay_end" && client.cursor < 0) {
          client.cursor = m.cursor;
          clearTimeout(timer);
          resolve(client);
        }
      };
    });
  }

  send(data: string | Uint8Array<ArrayBuffer>) {
    this.ws.send(data);
  }

  close() {
    this.ws.close();
  }
}
