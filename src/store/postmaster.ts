import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * pid of the postmaster running for this data dir, from its postmaster.pid (a stale file does not count).
 * With `ready`, only once it accepts connections (line 8 of the file says "ready").
 */
export function postmasterPid(dataDir: string, opts: { ready?: boolean } = {}): number | undefined {
  try {
    const lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
    const pid = Number(lines[0]);
    if (!(pid > 0)) return undefined;
    process.kill(pid, 0);
    if (opts.ready && lines[7]?.trim() !== "ready") return undefined;
    return pid;
  } catch {
    return undefined;
  }
}
