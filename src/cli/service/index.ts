import { existsSync, realpathSync } from "node:fs";
import { isAbsolute } from "node:path";
import { parseArgs } from "node:util";
import * as p from "@clack/prompts";
import { isCompiled } from "../../shared/runtime";
import { CliError, cliExitCode, usageError } from "../errors";
import { installWarnings } from "./access";
import { controlCommand, installSteps, logsCommand, uninstallSteps } from "./plan";
import { type Platform, servicePathFor } from "./render";
import { applySteps, describeSteps, type Step, shellLine } from "./steps";
import { defaultUserName, isRoot, lookupUser } from "./user";

const HELP = `Usage: opendray service <command> [flags]

Runs OpenDray as a system service: a systemd unit on Linux
(/etc/systemd/system/opendray.service), a launchd daemon on macOS
(/Library/LaunchDaemons/com.opendray.opendray.plist).

Commands:
  install     write the service file, enable and start it (root)
  uninstall   stop and remove the service (root)
  start | stop | restart   control the service (root)
  status      show the service state
  logs        show the log (journalctl on Linux, /var/log/opendray on macOS)

Flags:
  --user NAME        account the server runs as (default: $SUDO_USER); never root
  --binary PATH      opendray binary to run (default: this one)
  --force            replace an existing service file without asking
  --dry-run          print the file and the commands instead of changing anything
  --platform OS      linux or darwin: render another platform's file (with --dry-run)
  --keep-logs        uninstall on macOS: keep /var/log/opendray
  -n, --lines N      logs: lines of history (default 50)
  --no-follow        logs: print and exit instead of following
`;

const options = {
  user: { type: "string" },
  binary: { type: "string" },
  force: { type: "boolean" },
  "dry-run": { type: "boolean" },
  platform: { type: "string" },
  "keep-logs": { type: "boolean" },
  lines: { type: "string", short: "n" },
  "no-follow": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

/** systemd is the service manager only when it booted the machine (what sd_booted checks). */
const systemdRunning = () => existsSync("/run/systemd/system");

function choosePlatform(flags: Flags): Platform {
  const host = process.platform;
  const wanted = flags.platform ?? host;
  if (wanted !== "linux" && wanted !== "darwin") {
    if (flags.platform) throw usageError(`--platform: expected linux or darwin, got "${flags.platform}"`);
    throw new CliError(`services are supported on Linux (systemd) and macOS (launchd), not on ${host}`);
  }
  if (wanted !== host && !flags["dry-run"])
    throw usageError(`--platform ${wanted} on a ${host} machine only works with --dry-run`);
  return wanted;
}

/** This executable when it is a compiled opendray; from source, execPath is bun itself. */
function selfBinary(): string | undefined {
  return isCompiled() ? process.execPath : (Bun.which("opendray") ?? undefined);
}

function resolveBinary(flags: Flags): string {
  const binary = flags.binary ?? selfBinary();
  if (!binary)
    throw new CliError(
      "cannot tell where the opendray binary is (running from source?); pass --binary /path/to/opendray",
    );
  if (!isAbsolute(binary)) throw usageError(`--binary: an absolute path is required, got "${binary}"`);
  if (!flags["dry-run"] && !existsSync(binary)) throw new CliError(`--binary: ${binary} does not exist`);
  return existsSync(binary) ? realpathSync(binary) : binary;
}

function checkManager(platform: Platform, flags: Flags) {
  if (flags["dry-run"]) return;
  if (platform === "linux" && !systemdRunning()) {
    throw new CliError(
      "systemd is not running on this machine (no /run/systemd/system), so there is no service manager to install into.\n" +
        "Run the server under your own supervisor instead, for example: opendray (in tmux, a container or an init script).",
    );
  }
}

const needRoot = (command: string, flags: Flags) => {
  if (!flags["dry-run"] && !isRoot())
    throw new CliError(`service ${command} changes system files: run it with sudo (sudo opendray service ${command})`);
};

async function install(platform: Platform, flags: Flags): Promise<number> {
  const name = flags.user ?? defaultUserName();
  if (name === "root")
    throw new CliError(
      "refusing to run the service as root: pass --user <account> (the account that ran opendray setup)",
    );
  const user = lookupUser(name);
  if (!user) throw new CliError(`no such user: ${name}`);
  const binary = resolveBinary(flags);
  const path = servicePathFor(platform);
  const replacing = existsSync(path);
  if (replacing && !flags.force && !flags["dry-run"]) {
    if (!process.stdin.isTTY) throw new CliError(`${path} already exists: pass --force to replace it`);
    const ok = await p.confirm({ message: `${path} already exists. Replace it?`, initialValue: false });
    if (p.isCancel(ok) || !ok) {
      console.log("Left the existing service untouched.");
      return 1;
    }
  }
  for (const warning of installWarnings(user, binary)) console.error(`warning: ${warning}`);
  const owner = platform === "darwin" && !flags["dry-run"] ? ownerIds(name) : undefined;
  return execute(
    installSteps({ platform, user, binary }, replacing, owner),
    flags,
    replacing ? `(replacing the existing ${path})` : undefined,
  );
}

function ownerIds(name: string) {
  const id = (flag: string) => Number(Bun.spawnSync(["id", flag, name]).stdout.toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

function execute(steps: Step[], flags: Flags, note?: string): number {
  if (flags["dry-run"]) {
    process.stdout.write(`Dry run: nothing is changed.${note ? ` ${note}` : ""}\n\n${describeSteps(steps)}`);
    return 0;
  }
  const error = applySteps(steps);
  if (error) throw new CliError(error);
  return 0;
}

function passthrough(cmd: string[], flags: Flags): number {
  if (flags["dry-run"]) {
    console.log(`would run: ${shellLine(cmd)}`);
    return 0;
  }
  return Bun.spawnSync(cmd, { stdio: ["inherit", "inherit", "inherit"] }).exitCode ?? 1;
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { values: flags, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, ...extra] = positionals;
    if (flags.help || !command || command === "help") {
      process.stdout.write(HELP);
      return command || flags.help ? 0 : 2;
    }
    if (extra.length) throw usageError(`unexpected argument: ${extra[0]}`);
    const platform = choosePlatform(flags);
    switch (command) {
      case "install":
        checkManager(platform, flags);
        needRoot(command, flags);
        return await install(platform, flags);
      case "uninstall": {
        checkManager(platform, flags);
        needRoot(command, flags);
        if (!flags["dry-run"] && !existsSync(servicePathFor(platform))) {
          console.log(`No service installed (${servicePathFor(platform)} does not exist).`);
          return 0;
        }
        return execute(uninstallSteps(platform, flags["keep-logs"] ?? false), flags);
      }
      case "start":
      case "stop":
      case "restart":
        checkManager(platform, flags);
        needRoot(command, flags);
        return passthrough(controlCommand(platform, command), flags);
      case "status":
        checkManager(platform, flags);
        return passthrough(controlCommand(platform, "status"), flags);
      case "logs": {
        const lines = Number(flags.lines ?? 50);
        if (!Number.isInteger(lines) || lines < 0)
          throw usageError(`--lines: expected a whole number, got "${flags.lines}"`);
        checkManager(platform, flags);
        return passthrough(logsCommand(platform, lines, !flags["no-follow"]), flags);
      }
      default:
        throw usageError(`unknown command: ${command} (see opendray service help)`);
    }
  } catch (e) {
    return cliExitCode("service", e);
  }
}
