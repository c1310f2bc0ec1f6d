import { existsSync, lstatSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as p from "@clack/prompts";
import { type Config, ConfigError, homePaths, loadConfig } from "../../config";
import { configPath, opendrayHome } from "../../config/paths";
import { readServerLock } from "../../server/lock";
import { isCompiled } from "../../shared/runtime";
import { postmasterPid } from "../../store";
import { dropSchemaSql } from "./drop-sql";
import { serverPid, shutdownPtyHost, stopPid } from "./processes";

const HELP = `Usage: opendray uninstall [--yes] [--dry-run] [--keep-data]

Stops the server, the PTY host (ending its sessions) and the bundled database, then removes
the OpenDray home (data, bundled database, plugins, logs), the config file and this binary.
An external database is never touched: drop_opendray_schema.sql is written for you to review.

Flags:
  --yes         do not ask for confirmation
  --dry-run     list what would be stopped and removed, change nothing
  --keep-data   keep the OpenDray home (the config file and binary still go)
`;

const SERVICE_FILES = ["/etc/systemd/system/opendray.service", "/Library/LaunchDaemons/com.opendray.opendray.plist"];

interface Plan {
  stop: { what: string; run: () => Promise<void> }[];
  remove: string[];
  dropSql?: { path: string; target: string };
  notes: string[];
}

const exists = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** This executable when it is a compiled opendray; from source, execPath is bun itself and must never be removed. */
function selfBinary(): string | undefined {
  return isCompiled() && !/^bunx?(\.exe)?$/.test(basename(process.execPath))
    ? realpathSync(process.execPath)
    : undefined;
}

/** As root the bundled cluster lives outside the home; pg/data links to it. */
function clusterOutsideHome(pgData: string): string | undefined {
  try {
    if (!lstatSync(pgData).isSymbolicLink()) return undefined;
    return dirname(resolve(dirname(pgData), readlinkSync(pgData)));
  } catch {
    return undefined;
  }
}

function buildPlan(config: Config | undefined, keepData: boolean): Plan {
  const home = config?.home ?? opendrayHome();
  const paths = config?.paths ?? homePaths(home);
  const plan: Plan = { stop: [], remove: [], notes: [] };

  const port = config?.server.port;
  const server = readServerLock(paths.run)?.pid ?? (port ? serverPid(port) : undefined);
  if (server)
    plan.stop.push({ what: `the server (pid ${server}, port ${port})`, run: () => stopPid(server, "SIGTERM") });
  if (existsSync(paths.ptydSocket))
    plan.stop.push({
      what: `the PTY host and its sessions (${paths.ptydSocket})`,
      run: () => shutdownPtyHost(paths.ptydSocket),
    });
  const pg = postmasterPid(paths.pgData);
  if (pg) plan.stop.push({ what: `the bundled PostgreSQL (pid ${pg})`, run: () => stopPid(pg, "SIGINT", 15_000) });

  if (!keepData) {
    if (exists(home)) plan.remove.push(home);
    const cluster = clusterOutsideHome(paths.pgData);
    if (cluster && exists(cluster)) {
      plan.remove.push(cluster);
      plan.notes.push(
        `${dirname(dirname(cluster))}/pg keeps a copy of the Postgres binaries shared by every OpenDray home run as root; remove it when none is left`,
      );
    }
  }
  const file = config?.configPath ?? configPath();
  if (exists(file) && (keepData || !file.startsWith(`${home}/`))) plan.remove.push(file);
  const xdg = join(process.env.XDG_CONFIG_HOME || join(process.env.HOME || "", ".config"), "opendray");
  if (exists(xdg) && !plan.remove.some((r) => xdg.startsWith(`${r}/`) || r === xdg)) plan.remove.push(xdg);
  const binary = selfBinary();
  if (binary) plan.remove.push(binary);
  else plan.notes.push("running from source: there is no opendray binary to remove");

  if (config?.db.mode === "external") {
    const { host, port: dbPort, name } = config.db.external;
    plan.dropSql = { path: resolve("drop_opendray_schema.sql"), target: `${host}:${dbPort}/${name}` };
  }
  return plan;
}

function describe(plan: Plan, dryRun: boolean): string {
  const verb = dryRun ? "would " : "";
  const lines = [
    ...plan.stop.map((s) => `${verb}stop ${s.what}`),
    ...plan.remove.map((r) => `${verb}remove ${r}`),
    ...(plan.dropSql
      ? [`${verb}write ${plan.dropSql.path} (the external database ${plan.dropSql.target} is left untouched)`]
      : []),
    ...plan.notes.map((n) => `note: ${n}`),
  ];
  return lines.length ? lines.join("\n") : "Nothing to remove.";
}

export async function run(argv: string[]): Promise<number> {
  let flags: { yes?: boolean; "dry-run"?: boolean; "keep-data"?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: argv,
      strict: true,
      options: {
        yes: { type: "boolean", short: "y" },
        "dry-run": { type: "boolean" },
        "keep-data": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (e) {
    console.error(`opendray uninstall: ${(e as Error).message}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let config: Config | undefined;
  try {
    config = loadConfig({ persistGenerated: false });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`warning: ${e.message}\n(removing the default paths only)`);
  }
  const service = SERVICE_FILES.find(existsSync);
  if (service && !flags["dry-run"]) {
    console.error(
      `opendray uninstall: the system service is installed (${service}); remove it first with: sudo opendray service uninstall`,
    );
    return 1;
  }
  const plan = buildPlan(config, flags["keep-data"] ?? false);
  if (flags["dry-run"]) {
    console.log(`Dry run: nothing is changed.\n${describe(plan, true)}`);
    if (service)
      console.log(`note: the system service (${service}) must be removed first: sudo opendray service uninstall`);
    return 0;
  }
  if (!flags.yes) {
    if (!process.stdin.isTTY) {
      console.error("opendray uninstall: no terminal to confirm on: pass --yes (or --dry-run to preview)");
      return 2;
    }
    p.note(describe(plan, false), "This will");
    const ok = await p.confirm({ message: "Uninstall OpenDray?", initialValue: false });
    if (p.isCancel(ok) || !ok) {
      p.cancel("Nothing was changed.");
      return 1;
    }
  }
  for (const step of plan.stop) {
    console.log(`Stopping ${step.what}`);
    await step.run();
  }
  if (plan.dropSql) {
    writeFileSync(plan.dropSql.path, dropSchemaSql(plan.dropSql.target));
    console.log(
      `Wrote ${plan.dropSql.path}: review it, then apply it to ${plan.dropSql.target} yourself if you want the tables gone.`,
    );
  }
  let failed = false;
  for (const path of plan.remove) {
    try {
      rmSync(path, { recursive: true, force: true });
      console.log(`Removed ${path}`);
    } catch (e) {
      failed = true;
      console.error(`Could not remove ${path}: ${(e as Error).message}`);
    }
  }
  console.log(failed ? "OpenDray was partly uninstalled (see above)." : "OpenDray is uninstalled.");
  return failed ? 1 : 0;
}
