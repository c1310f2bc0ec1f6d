import { homeStatus } from "./probe";

export { askPtyHost, type HomeStatus, homeStatus } from "./probe";

const HELP = `Usage: opendray status

Says what runs for this OPENDRAY_HOME: the server (pid and address), the PTY host and its
sessions, the bundled PostgreSQL. Exit code 0 when the server runs, 3 when it does not.`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const s = await homeStatus();
  const lines = [`OpenDray home ${s.home}`];
  lines.push(s.server ? `  server     running, pid ${s.server.pid}, ${s.server.address}` : "  server     not running");
  lines.push(
    s.ptyd
      ? `  PTY host   running, pid ${s.ptyd.pid}, ${s.ptyd.running} session${s.ptyd.running === 1 ? "" : "s"} running${s.ptyd.exited ? `, ${s.ptyd.exited} ended` : ""}`
      : "  PTY host   not running",
  );
  lines.push(
    s.postgres ? `  PostgreSQL running (bundled), pid ${s.postgres.pid}` : "  PostgreSQL not running (bundled)",
  );
  if (!s.server && (s.ptyd || s.postgres))
    lines.push(
      "",
      "Sessions keep running without the server. Start it with: opendray   End everything: opendray stop --sessions",
    );
  console.log(lines.join("\n"));
  return s.server ? 0 : 3;
}
