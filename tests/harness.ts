import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FrameDecoder, requestFrame } from "../src/pty/protocol";

export const ROOT = join(import.meta.dir, "..");
export const MAIN = join(ROOT, "src", "main.ts");

export interface TestServer {
  url: string;
  port: number;
  home: string;
  token: string;
  username: string;
  password: string;
  env: Record<string, string>;
  /** output the server printed so far */
  logs(): string;
  pid(): number;
  stop(): Promise<void>;
  /** SIGKILL the server process only (the PTY host and Postgres keep running) */
  kill9(): Promise<void>;
  restart(): Promise<void>;
  api<T = any>(
    path: string,
    init?: RequestInit & { json?: unknown },
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await Bun.sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}

export interface StartOptions {
  env?: Record<string, string>;
  home?: string;
  /** argv of the program to run instead of `bun src/main.ts` (e.g. the compiled binary) */
  command?: string[];
  cwd?: string;
  /** the address to listen on (default 127.0.0.1); the harness still talks to it over loopback */
  listenHost?: string;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const home = opts.home ?? join(mkdtempSync(join(tmpdir(), "opendray-e2e-")), "home");
  const port = await freePort();
  const username = "admin";
  const password = "correct-horse-battery";
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    OPENDRAY_HOME: home,
    LISTEN_ADDR: `${opts.listenHost ?? "127.0.0.1"}:${port}`,
    ADMIN_USERNAME: username,
    ADMIN_PASSWORD: password,
    RATE_LIMIT_MUTATIONS_PER_MIN: "0",
    RATE_LIMIT_READS_PER_MIN: "0",
    LOG_LEVEL: "warn",
    ...opts.env,
  };
  let output = "";
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  const url = `http://127.0.0.1:${port}`;

  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk);
  };

  const launch = async () => {
    proc = Bun.spawn(opts.command ?? [process.execPath, MAIN], {
      env,
      cwd: opts.cwd ?? ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    void pump(proc.stdout);
    void pump(proc.stderr);
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${output}`);
        // 503 is a degraded server that is up (a full disk, a database restarting)
        const r = await fetch(`${url}/api/health`);
        return r.ok || (r.status === 503 && (await r.json()).service === "opendray");
      },
      "the server to answer /api/health",
      60_000,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${output}`);
    });
    const r = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    server.token = ((await r.json()) as { token: string }).token;
  };

  const server: TestServer = {
    url,
    port,
    home,
    token: "",
    username,
    password,
    env,
    logs: () => output,
    pid: () => proc.pid,
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization") && server.token) headers.set("authorization", `Bearer ${server.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      const r = await fetch(`${url}${path}`, { ...init, headers, body });
      const text = await r.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: r.status, body: parsed, headers: r.headers };
    },
    async kill9() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async restart() {
      await launch();
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await Promise.race([proc.exited, Bun.sleep(15_000)]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
      await shutdownPtyHost(home);
      await stopPostgres(home);
      killProgramsUnder(home);
      removeHome(home);
    },
  };
  await launch();
  return server;
}

/**
 * Kills processes whose program lives under `dir`: Codex installs an app-server in its home and
 * starts it as a daemon of its own session, which outlives the PTY and would outlive the test.
 */
export function killProgramsUnder(dir: string) {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const program = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
      if (program.startsWith(`${dir}/`)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already, or not ours to read
    }
  }
}

/** Asks the PTY host of `home` to stop every session and exit. */
export async function shutdownPtyHost(home: string) {
  const path = join(home, "run", "ptyd.sock");
  if (!existsSync(path)) return;
  try {
    const socket = await Bun.connect({ unix: path, socket: { data() {} } });
    socket.write(requestFrame("shutdown", 1, {}));
    await waitFor(() => !existsSync(path), "the PTY host to exit", 10_000);
  } catch {}
}

async function stopPostgres(home: string) {
  const data = join(home, "pg", "data");
  const pidFile = join(existsSync(data) ? data : home, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await Bun.file(pidFile).text()).split("\n")[0]);
  try {
    process.kill(pid, "SIGINT");
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, "postgres to stop");
  } catch {}
}

function removeHome(home: string) {
  removePgCluster(home);
  rmSync(dirname(home), { recursive: true, force: true });
}

/**
 * Removes the embedded Postgres cluster of a stopped `home`: as root its data lives outside the home
 * (home/pg/data links to /var/lib/opendray/clusters/<id>/data), so removing the home alone leaves it.
 */
export function removePgCluster(home: string) {
  try {
    rmSync(dirname(readlinkSync(join(home, "pg", "data"))), { recursive: true, force: true });
  } catch {}
}

export { FrameDecoder };
