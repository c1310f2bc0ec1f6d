#!/usr/bin/env bun
import { ConfigError } from "./config";
import { buildTime, commit, version } from "./version";

const HELP = `OpenDray ${version} — pilot AI coding agents from your phone

Usage: opendray [command]

Commands:
  (none), serve      start the server (bundled Postgres, 127.0.0.1:8640 by default)
  stop [--sessions]  stop the server; --sessions also ends the PTY host, its sessions and the bundled Postgres
  status             what runs: the server (pid, address), the PTY host and its sessions, Postgres
  setup              interactive set-up wizard (every prompt has a flag; see setup --help)
  service <action>   install|uninstall|start|stop|restart|status|logs the system service
  uninstall          remove OpenDray (--yes, --dry-run, --keep-data)
  doctor             check config, database, PTY host, agents, Telegram, listen address
  db <action>        dump|restore the database's data (backups; see db --help)
  plugin <action>    list|validate|install|remove|scaffold agent and panel plugins
  mcp-stdio <url>    relay MCP from stdio to a session's gateway (the agent's side; token from OPENDRAY_MCP_TOKEN)
  version            print version, commit and build time
  help, --help       this text

Environment: OPENDRAY_HOME (default ~/.opendray), OPENDRAY_CONFIG, LISTEN_ADDR, JWT_SECRET,
ADMIN_USERNAME, ADMIN_PASSWORD, DB_HOST…, see README.md.`;

type Runner = (argv: string[]) => Promise<number>;
const lazy =
  (load: () => Promise<{ run: Runner }>): Runner =>
  async (argv) =>
    (await load()).run(argv);

const commands: Record<string, Runner> = {
  setup: lazy(() => import("./cli/setup")),
  stop: lazy(() => import("./cli/stop")),
  status: lazy(() => import("./cli/status")),
  service: lazy(() => import("./cli/service")),
  uninstall: lazy(() => import("./cli/uninstall")),
  doctor: lazy(() => import("./cli/doctor")),
  plugin: lazy(() => import("./cli/plugin")),
  db: lazy(() => import("./cli/db")),
  "mcp-stdio": lazy(() => import("./cli/mcp-stdio")),
};

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...rest] = argv;
  if (command === "version" || command === "--version" || command === "-v") {
    console.log(`opendray ${version} (commit ${commit}, built ${buildTime})`);
    return 0;
  }
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(HELP);
    return 0;
  }
  if (command === "ptyd") {
    const socket = rest[rest.indexOf("--socket") + 1];
    if (!rest.includes("--socket") || !socket) {
      console.error("usage: opendray ptyd --socket <path>");
      return 2;
    }
    const { runPtyHost } = await import("./pty/host");
    await runPtyHost(socket);
    return -1;
  }
  if (command === "serve") {
    const { serve } = await import("./server/start");
    await serve();
    return -1;
  }
  const runner = commands[command];
  if (!runner) {
    console.error(`unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  return runner(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `opendray: ${(error as Error).message}`);
    process.exit(1);
  },
);
