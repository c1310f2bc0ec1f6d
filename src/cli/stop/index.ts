import { homeStatus } from "../status/probe";
import { shutdownPtyHost, stopPid } from "../uninstall/processes";

const HELP = `Usage: opendray stop [--sessions]

Stops the server of this OPENDRAY_HOME. Sessions keep running in the PTY host, and the next
start finds them again.
  --sessions   also end every session and the PTY host, and stop the bundled PostgreSQL`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--sessions");
  if (unknown.length) {
    console.error(`unknown option ${unknown[0]}\n\n${HELP}`);
    return 2;
  }
  const all = argv.includes("--sessions");
  const s = await homeStatus();
  if (s.server) {
    await stopPid(s.server.pid, "SIGTERM", 15_000);
    console.log(`stopped the server (pid ${s.server.pid}, ${s.server.address})`);
  } else console.log("the server is not running");
  if (!all) {
    if (s.ptyd)
      console.log(
        `the PTY host keeps ${s.ptyd.running} session${s.ptyd.running === 1 ? "" : "s"} running; end ${s.ptyd.running === 1 ? "it" : "them"} with: opendray stop --sessions`,
      );
    return 0;
  }
  if (s.ptyd) {
    await shutdownPtyHost(s.paths.ptydSocket);
    console.log(`ended the PTY host (pid ${s.ptyd.pid}) and its ${s.ptyd.running + s.ptyd.exited} session(s)`);
  }
  const pg = (await homeStatus()).postgres;
  if (pg) {
    await stopPid(pg.pid, "SIGINT", 15_000);
    console.log(`stopped the bundled PostgreSQL (pid ${pg.pid})`);
  }
  return 0;
}
