import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../../config";
import {
  agentsCheck,
  authCheck,
  type Check,
  configFileCheck,
  databaseCheck,
  listenCheck,
  ptyHostCheck,
  serverCheck,
  serviceCheck,
  telegramCheck,
} from "./checks";

const HELP = `Usage: opendray doctor

Checks the config, database, PTY host, server, agent CLIs, Telegram, the listen address and
the auth posture. Each line is OK, WARN or FAIL, with the fix. Exits 1 when anything FAILs.
`;

function print(check: Check) {
  console.log(`${check.status.padEnd(5)} ${check.name.padEnd(9)} ${check.detail}`);
  if (check.fix && check.status !== "OK") console.log(`${" ".repeat(16)}fix: ${check.fix}`);
}

export async function run(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({ args: argv, strict: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
  } catch (e) {
    console.error(`opendray doctor: ${(e as Error).message}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig({ persistGenerated: false });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    print({
      status: "FAIL",
      name: "config",
      detail: e.message.replace(/\n\s*/g, "; "),
      fix: "correct the value named above, or run opendray setup",
    });
    return 1;
  }
  const checks: Check[] = [configFileCheck(config), listenCheck(config), authCheck(config)];
  for (const c of checks) print(c);
  for (const next of [databaseCheck(config), ptyHostCheck(config), serverCheck(config)]) {
    const c = await next;
    checks.push(c);
    print(c);
  }
  for (const c of [...(await agentsCheck(config)), await telegramCheck(config), serviceCheck()]) {
    checks.push(c);
    print(c);
  }
  const failed = checks.filter((c) => c.status === "FAIL").length;
  const warned = checks.filter((c) => c.status === "WARN").length;
  console.log(
    failed ? `\n${failed} problem(s) to fix.` : warned ? `\nNo failures; ${warned} warning(s).` : "\nAll good.",
  );
  return failed ? 1 : 0;
}
