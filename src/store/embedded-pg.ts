import { createHash } from "node:crypto";
import { chownSync, existsSync, lstatSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { log } from "../log";
import { copyBinaries, locatePgBinaries, type PgBinaries } from "./pg-binaries";
import { postmasterPid } from "./postmaster";
import { canTraverse, postgresRunAs, type RunAs } from "./service-user";

export const EMBEDDED_USER = "opendray";
export const EMBEDDED_DB = "opendray";
const PORT = 5432;
const SHARED_ROOT = "/var/lib/opendray";

export interface EmbeddedPg {
  socketPath: string;
  password: string;
  dataDir: string;
  version: string;
  stop(): Promise<void>;
}

interface Layout {
  bin: PgBinaries;
  dataDir: string;
  socketDir: string;
  runAs: RunAs | null;
}

/** Where things go; as root, paths the service user cannot reach move under /var/lib/opendray. */
async function layout(pgDir: string): Promise<Layout> {
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  let bin = await locatePgBinaries(pgDir);
  const runAs = postgresRunAs();
  if (!runAs) return { bin, dataDir: join(pgDir, "data"), socketDir: join(pgDir, "run"), runAs };
  if (!canTraverse(bin.postgres, runAs)) bin = copyBinaries(bin, join(SHARED_ROOT, "pg", bin.version));
  const link = join(pgDir, "data");
  if (canTraverse(pgDir, runAs) && !isSymlink(link))
    return { bin, dataDir: link, socketDir: join(pgDir, "run"), runAs };
  const cluster = join(SHARED_ROOT, "clusters", createHash("sha256").update(pgDir).digest("hex").slice(0, 16));
  mkdirSync(cluster, { recursive: true, mode: 0o711 });
  if (!existsSync(link)) symlinkSync(join(cluster, "data"), link);
  return { bin, dataDir: join(cluster, "data"), socketDir: join(cluster, "run"), runAs };
}

const isSymlink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

function ownedDir(path: string, runAs: RunAs | null) {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(path, runAs.uid, runAs.gid);
}

/** Postgres runs as another user: it gets a bare environment, never the server's secrets. */
function postgresEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH || "/usr/bin:/bin", LC_ALL: "C", LANG: "C" };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function spawnOpts(l: Layout) {
  return {
    env: postgresEnv(),
    ...(l.runAs ? { uid: l.runAs.uid, gid: l.runAs.gid } : {}),
  };
}

function initdb(l: Layout, password: string) {
  ownedDir(l.dataDir, l.runAs);
  const pwfile = join(l.socketDir, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (l.runAs) chownSync(pwfile, l.runAs.uid, l.runAs.gid);
  try {
    const r = Bun.spawnSync(
      [
        l.bin.initdb,
        "-D",
        l.dataDir,
        "-U",
        EMBEDDED_USER,
        "--auth=scram-sha-256",
        `--pwfile=${pwfile}`,
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
      ],
      { ...spawnOpts(l), stdout: "pipe", stderr: "pipe" },
    );
    if (r.exitCode !== 0) throw new Error(`initdb failed: ${r.stderr.toString().slice(-2000)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function waitReady(dataDir: string, exited: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = postmasterPid(dataDir, { ready: true });
    if (pid) return pid;
    if (exited()) throw new Error("postgres exited during start-up");
    await Bun.sleep(20);
  }
  throw new Error("postgres did not become ready in time");
}

async function stopPostmaster(pid: number) {
  try {
    process.kill(pid, "SIGINT"); // fast shutdown
  } catch {
    return;
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await Bun.sleep(25);
  }
  process.kill(pid, "SIGQUIT");
}

/** Starts (or re-adopts after a crash) the bundled Postgres, listening only on a Unix socket. */
export async function startEmbeddedPg(opts: { pgDir: string; password: string; logFile: string }): Promise<EmbeddedPg> {
  const l = await layout(opts.pgDir);
  ownedDir(l.socketDir, l.runAs);
  if (!existsSync(join(l.dataDir, "PG_VERSION"))) {
    log.info("initialising the bundled Postgres cluster", { dataDir: l.dataDir, version: l.bin.version });
    initdb(l, opts.password);
  }
  let pid = postmasterPid(l.dataDir, { ready: true });
  if (pid) log.info("re-using the bundled Postgres that is already running", { pid });
  else {
    const out = openSync(opts.logFile, "a");
    const proc = Bun.spawn(
      [
        l.bin.postgres,
        "-D",
        l.dataDir,
        "-k",
        l.socketDir,
        "-p",
        String(PORT),
        "-c",
        "listen_addresses=",
        "-c",
        "unix_socket_permissions=0700",
        "-c",
        "max_connections=40",
        "-c",
        "shared_buffers=32MB",
      ],
      { ...spawnOpts(l), stdio: ["ignore", out, out], detached: true },
    );
    proc.unref();
    let exited = false;
    void proc.exited.then(() => {
      exited = true;
    });
    pid = await waitReady(l.dataDir, () => exited, 60_000);
  }
  const postmaster = pid;
  return {
    socketPath: join(l.socketDir, `.s.PGSQL.${PORT}`),
    password: opts.password,
    dataDir: l.dataDir,
    version: l.bin.version,
    stop: () => stopPostmaster(postmaster),
  };
}
