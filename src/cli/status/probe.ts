import { existsSync } from "node:fs";
import { homePaths, loadConfig } from "../../config";
import { opendrayHome } from "../../config/paths";
import { FrameDecoder, FrameKind, type HostSessionInfo, PROTOCOL_VERSION, requestFrame } from "../../pty/protocol";
import { readServerLock } from "../../server/lock";
import { postmasterPid } from "../../store";

/** The PTY host's pid and sessions, asked over its socket (the same `hello` a server sends). */
export async function askPtyHost(
  socketPath: string,
  timeoutMs = 3000,
): Promise<{ pid: number; sessions: HostSessionInfo[] } | undefined> {
  if (!existsSync(socketPath)) return undefined;
  const decoder = new FrameDecoder();
  let settle: (v: { pid: number; sessions: HostSessionInfo[] } | undefined) => void = () => {};
  const answer = new Promise<{ pid: number; sessions: HostSessionInfo[] } | undefined>((r) => {
    settle = r;
  });
  let socket: Awaited<ReturnType<typeof Bun.connect>> | undefined;
  try {
    socket = await Bun.connect({
      unix: socketPath,
      socket: {
        data(_s, chunk) {
          for (const frame of decoder.push(chunk)) {
            if (frame.kind !== FrameKind.Json || frame.message.reqId !== 1) continue;
            const m = frame.message as { ok: boolean; pid: number; sessions: HostSessionInfo[] };
            settle(m.ok ? { pid: m.pid, sessions: m.sessions } : undefined);
          }
        },
        close: () => settle(undefined),
        error: () => settle(undefined),
      },
    });
  } catch {
    return undefined; // a stale socket file: nothing listens
  }
  socket.write(requestFrame("hello", 1, { version: PROTOCOL_VERSION }));
  const result = await Promise.race([answer, Bun.sleep(timeoutMs).then(() => undefined)]);
  socket.end();
  return result;
}

export interface HomeStatus {
  home: string;
  server?: { pid: number; address: string };
  ptyd?: { pid: number; running: number; exited: number };
  postgres?: { pid: number };
  paths: ReturnType<typeof homePaths>;
}

/** What runs for this OPENDRAY_HOME: the server (from its lock), the PTY host, the bundled Postgres. */
export async function homeStatus(): Promise<HomeStatus> {
  let home = opendrayHome();
  try {
    home = loadConfig().home;
  } catch {
    // a broken config must not hide what runs
  }
  const paths = homePaths(home);
  const server = readServerLock(paths.run);
  const host = await askPtyHost(paths.ptydSocket);
  const pg = postmasterPid(paths.pgData);
  return {
    home,
    paths,
    server,
    ptyd: host && {
      pid: host.pid,
      running: host.sessions.filter((s) => s.state !== "exited").length,
      exited: host.sessions.filter((s) => s.state === "exited").length,
    },
    postgres: pg ? { pid: pg } : undefined,
  };
}
