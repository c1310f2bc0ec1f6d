import { existsSync } from "node:fs";
import { requestFrame } from "../../pty/protocol";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await Bun.sleep(25);
  }
  return !alive(pid);
}

/** Sends `signal`, waits `graceMs`, then SIGKILL: how the server and Postgres are stopped. */
export async function stopPid(pid: number, signal: NodeJS.Signals, graceMs = 3000) {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  if (!(await waitGone(pid, graceMs))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
    await waitGone(pid, 2000);
  }
}

const output = (cmd: string[]) =>
  Bun.which(cmd[0] ?? "") ? Bun.spawnSync(cmd, { stdout: "pipe", stderr: "ignore" }).stdout.toString() : "";

/** The pid listening on the server's TCP port: lsof (macOS, most Linux), else ss (iproute2). */
export function serverPid(port: number): number | undefined {
  const fromLsof = Number(output(["lsof", "-t", `-iTCP:${port}`, "-sTCP:LISTEN"]).split("\n")[0]);
  const pid = fromLsof || Number(/pid=(\d+)/.exec(output(["ss", "-ltnpH", `sport = :${port}`]))?.[1]);
  return pid > 0 && pid !== process.pid ? pid : undefined;
}

/** Asks the PTY host to end every session and exit. */
export async function shutdownPtyHost(socketPath: string) {
  if (!existsSync(socketPath)) return;
  try {
    const socket = await Bun.connect({ unix: socketPath, socket: { data() {} } });
    socket.write(requestFrame("shutdown", 1, {}));
    const deadline = Date.now() + 10_000;
    while (existsSync(socketPath) && Date.now() < deadline) await Bun.sleep(25);
    socket.end();
  } catch {
    // Nothing listens on a stale socket: the host is already gone.
  }
}
