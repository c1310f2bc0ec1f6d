import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Config, loadConfig, readConfigFile, saveConfigValues } from "../config";
import { setLogLevel } from "../log";
import { openStore } from "../store";
import { DumpError, dumpDatabase, restoreDatabase } from "../store/dump";

const USAGE = `Usage: opendray db <action>

  dump [--output FILE]                       write a data dump of OpenDray's database (default: stdout)
  restore [--input FILE] [--config FILE]     replace the database's data with a dump (default: stdin);
                                             --config merges a saved config.toml into this one, keeping
                                             this home's bundled-Postgres password

Works while the server runs (the bundled Postgres is shared, not restarted); restart the server after
a restore so it reloads the sessions. Exit codes: 0 ok, 1 failed, 2 usage error.`;

function postmasterUp(config: Config): boolean {
  try {
    const pid = Number(readFileSync(join(config.paths.pgData, "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/** Opens the database; stops the bundled Postgres afterwards only if this command started it. */
async function withStore<T>(
  config: Config,
  fn: (sql: Awaited<ReturnType<typeof openStore>>["sql"]) => Promise<T>,
): Promise<T> {
  const wasUp = config.db.mode === "external" || postmasterUp(config);
  const store = await openStore(config);
  try {
    return await fn(store.sql);
  } finally {
    await store.sql.end({ timeout: 5 });
    if (!wasUp) await store.embedded?.stop();
  }
}

/** Flattens a parsed config.toml into `[a.b]` tables of scalars, as saveConfigValues takes them. */
function tablesOf(tree: Record<string, unknown>, prefix = "", out: Record<string, Record<string, string>> = {}) {
  for (const [k, v] of Object.entries(tree)) {
    if (k === "schema_version") continue;
    if (typeof v === "object" && v !== null && !Array.isArray(v))
      tablesOf(v as Record<string, unknown>, prefix ? `${prefix}.${k}` : k, out);
    else if (prefix) {
      out[prefix] ??= {};
      out[prefix][k] = v as string;
    }
  }
  return out;
}

function mergeConfig(config: Config, saved: string) {
  const tables = tablesOf(readConfigFile(saved));
  // The cluster in this home was initialised with its own password; the saved one would lock it out.
  if (tables["db.embedded"]) delete tables["db.embedded"].password;
  saveConfigValues(config.configPath, tables);
}

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  let values: { output?: string; input?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        output: { type: "string" },
        input: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(`opendray db: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help || !action || action === "help") {
    console.log(USAGE);
    return action || values.help ? 0 : 2;
  }
  if (action !== "dump" && action !== "restore") {
    console.error(`opendray db: unknown action "${action}"\n\n${USAGE}`);
    return 2;
  }
  setLogLevel("warn");
  const config = loadConfig({ persistGenerated: action === "restore" });
  try {
    if (action === "dump") {
      const file = values.output ? createWriteStream(values.output, { mode: 0o600 }) : null;
      const header = await withStore(config, (sql) => dumpDatabase(sql, file ?? process.stdout));
      if (file) await new Promise<void>((resolve) => file.end(() => resolve()));
      console.error(`dumped ${header.tables.length} tables (schema ${header.migrations.at(-1) ?? "empty"})`);
      return 0;
    }
    if (values.config && !existsSync(values.config)) throw new DumpError(`${values.config}: no such file`);
    const input = values.input ? createReadStream(values.input) : process.stdin;
    let text = "";
    for await (const chunk of input) text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
    const result = await withStore(config, (sql) => restoreDatabase(sql, text));
    if (values.config) mergeConfig(config, values.config);
    console.error(
      `restored ${result.rows} rows into ${result.tables} tables${values.config ? `, merged ${values.config} into ${config.configPath}` : ""}; restart the server`,
    );
    return 0;
  } catch (e) {
    if (e instanceof DumpError) {
      console.error(`opendray db ${action}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
