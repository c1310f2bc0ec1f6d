import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { log } from "../log";

/** `run/server.lock`: line 1 the pid, line 2 the address, line 3 the process start time (Linux). */
export const serverLockPath = (runDir: string) => join(runDir, "server.lock");

export interface LockHolder {
  pid: number;
  address: string;
}

export class ServerLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    home: string,
  ) {
    super(
      `another OpenDray server is already running on ${home} (pid ${holder.pid}, ${holder.address}); stop it first or set a different OPENDRAY_HOME`,
    );
  }
}

/** When the process started (clock ticks since boot), so a pid reused after a reboot is not taken for the holder. */
function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

function alive(pid: number, started: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  return !started || startTime(pid) === "" || startTime(pid) === started;
}

/** The live server holding this home's lock, if any (a stale lock of a dead pid does not count). */
export function readServerLock(runDir: string): LockHolder | undefined {
  try {
    const [pid, address = "", started = ""] = readFileSync(serverLockPath(runDir), "utf8").split("\n");
    const n = Number(pid);
    return n > 0 && alive(n, started) ? { pid: n, address } : undefined;
  } catch {
    return undefined;
  }
}

const content = (address: string) => `${process.pid}\n${address}\n${startTime(process.pid)}\n`;

export interface ServerLock {
  /** Records the address once the server listens. */
  update(address: string): void;
  release(): void;
}

/**
 * Takes `run/server.lock` for this process: one server per OPENDRAY_HOME. A lock left by a dead
 * process is taken over; a live holder makes this throw ServerLockedError naming its pid and address.
 */
export function acquireServerLock(runDir: string, home: string, address: string): ServerLock {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const path = serverLockPath(runDir);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, content(address));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw e;
    }
    const holder = readServerLock(runDir);
    if (holder && holder.pid !== process.pid) throw new ServerLockedError(holder, home);
    log.warn("taking over the lock of a server that is gone", { lock: path });
    rmSync(path, { force: true });
  }
  const ours = () => Number(readFileSync(path, "utf8").split("\n")[0]) === process.pid;
  return {
    update(addr) {
      try {
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, content(addr), { mode: 0o600 });
        renameSync(tmp, path);
      } catch (error) {
        log.warn("could not record the server address in its lock file", { lock: path, error });
      }
    },
    release() {
      try {
        if (ours()) rmSync(path, { force: true });
      } catch {}
    },
  };
}
