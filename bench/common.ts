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

/** The PTY host serving a test server's home. */
export function ptydPid(home: string): number {
  const r = Bun.spawnSync(["pgrep", "-f", `ptyd --socket ${require("node:path").join(home, "run", "ptyd.sock")}`]);
  const pid = Number(r.stdout.toString().trim().split("\n")[0]);
  if (!pid) throw new Error("ptyd process not found");
  return pid;
}

/** CPU seconds (user + system) used so far by each thread of `pid`, by thread name. */
export function threadCpu(pid: number): Map<string, number> {
  const fs = require("node:fs") as typeof import("node:fs");
  const out = new Map<string, number>();
  const tick = 100; // USER_HZ
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(fields[11]) + Number(fields[12])) / tick;
      out.set(name, (out.get(name) ?? 0) + cpu);
    } catch {} // the thread ended
  }
  return out;
}

/** CPU seconds per process and thread between two threadCpu() readings, biggest first, as text. */
export function cpuSpent(label: string, before: Map<string, number>, after: Map<string, number>): string {
  const parts = [...after]
    .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
    .filter(([, s]) => s >= 0.01)
    .sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((n, [, s]) => n + s, 0);
  return `${label} ${fmt(total)} s (${parts.map(([n, s]) => `${n} ${fmt(s)}`).join(", ")})`;
}

/** The machine's load averages, for a bench's figures (other work on the machine slows them). */
export const loadLine = (when: string) =>
  `load average ${when}: ${require("node:os")
    .loadavg()
    .map((l: number) => l.toFixed(2))
    .join(", ")} (${require("node:os").availableParallelism()} cores)`;

/** `cat file` read straight from an in-process PTY: the pace OpenDray is measured against, in bytes/s. */
export async function rawPtyRead(file: string, expected: number): Promise<number> {
  let got = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const t0 = performance.now();
  const proc = Bun.spawn(["cat", file], {
    terminal: {
      cols: 120,
      rows: 40,
      data(_t, bytes) {
        got += bytes.length;
        if (got >= expected) resolve();
      },
    },
  });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await proc.exited;
  return got / seconds;
}
