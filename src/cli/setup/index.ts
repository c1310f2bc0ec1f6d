import * as p from "@clack/prompts";
import { ensureHomeDirs, loadConfig, newSecret, saveConfigValues } from "../../config";
import { configPath } from "../../config/paths";
import { postmasterPid } from "../../store";
import { CliError, cliExitCode, usageError } from "../errors";
import { type Answers, readCurrent } from "./answers";
import { configTables, describeTables } from "./apply";
import { answersFromFlags, HELP, type Preset, parseFlags } from "./flags";
import { Cancelled, runWizard } from "./wizard";

async function checkExternal(a: Answers) {
  if (a.db.mode !== "external") return;
  const { testConnection } = await import("../../store");
  try {
    const { version } = await testConnection({ ...a.db }, 5000);
    console.log(`Connected to ${a.db.host}:${a.db.port}: PostgreSQL ${version}`);
  } catch (e) {
    throw new CliError(
      `cannot connect to the external database ${a.db.user}@${a.db.host}:${a.db.port}/${a.db.name}: ${(e as Error).message}`,
    );
  }
}

function printDryRun(a: Answers, path: string) {
  const lines = [
    "Dry run: nothing was written.",
    `would write ${path} (mode 600), merging:`,
    ...describeTables(configTables(a, () => "(generated)")),
    a.db.mode === "bundled"
      ? "would start the bundled PostgreSQL, creating its cluster if needed, and apply the migrations"
      : `would apply the migrations in ${a.db.host}:${a.db.port}/${a.db.name}`,
    a.admin.password === undefined
      ? "would keep the current admin account"
      : `would set the admin account "${a.admin.username}" with the new password`,
  ];
  console.log(lines.join("\n"));
}

async function apply(a: Answers, path: string) {
  saveConfigValues(path, configTables(a, newSecret));
  const config = loadConfig({ persistGenerated: true });
  ensureHomeDirs(config);
  console.log(`Wrote ${path}`);
  const serverRunning = config.db.mode === "bundled" && postmasterPid(config.paths.pgData) !== undefined;
  const { openStore } = await import("../../store");
  console.log(
    config.db.mode === "bundled" ? "Starting the bundled PostgreSQL and applying migrations…" : "Applying migrations…",
  );
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config);
  } catch (e) {
    throw new CliError(
      `database: ${(e as Error).message}\nThe configuration was saved; fix the problem and run opendray setup again.`,
    );
  }
  try {
    if (a.admin.password !== undefined) {
      const { setAdminCredentials } = await import("../../auth");
      await setAdminCredentials(store.sql, a.admin.username, a.admin.password);
      console.log(`Admin account "${a.admin.username}" saved.`);
    }
  } finally {
    // A running server shares the bundled Postgres: leave it up for the server.
    if (serverRunning) await store.sql.end({ timeout: 5 });
    else await store.close();
  }
  console.log(
    serverRunning
      ? "Setup complete. The server is running: restart it to use the new settings (opendray service restart, or stop and start opendray)."
      : `Setup complete. Start the server with: opendray  (it listens on ${a.listen})`,
  );
}

export async function run(argv: string[]): Promise<number> {
  let preset: Preset;
  try {
    preset = parseFlags(argv);
    if (preset.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const path = configPath();
    const current = readCurrent(path);
    let answers: Answers;
    if (preset.yes) answers = answersFromFlags(preset, current);
    else if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw usageError("no terminal to ask on: pass --yes with flags (see opendray setup --help)");
    } else answers = await runWizard(preset, current, path);

    if (preset.dryRun) {
      printDryRun(answers, path);
      return 0;
    }
    await checkExternal(answers);
    await apply(answers, path);
    return 0;
  } catch (e) {
    if (e instanceof Cancelled) {
      p.cancel("Setup cancelled: nothing was written.");
      return 1;
    }
    if (!(e instanceof CliError)) console.error(`opendray setup: ${(e as Error).message}`);
    return e instanceof CliError ? cliExitCode("setup", e) : 1;
  }
}
