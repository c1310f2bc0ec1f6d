import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadConfig } from "../config";
import { createPluginRegistry, parseManifestText } from "../plugins";
import { describeError, findManifestFiles, scanDirectory } from "../plugins/scan";

const USAGE = `Usage: opendray plugin <action>

  list                       every plugin this host knows (builtin, ./plugins, PLUGIN_DIR) and broken manifests
  validate <dir|file>        check manifest.json files (a plugin dir, a tree of them, or one file)
  install <dir>              copy a plugin dir into PLUGIN_DIR (--force replaces an installed copy)
  remove <name>              delete a plugin from PLUGIN_DIR (builtins can only be disabled)
  scaffold <name>            write <name>/manifest.json to start from (--kind agent|panel, --dir <parent>)

The server watches PLUGIN_DIR: install and remove take effect without a restart.
Exit codes: 0 ok, 1 failed (invalid manifest, not found…), 2 usage error.`;

const fail = (message: string, code = 1) => {
  console.error(message);
  return code;
};

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function manifestFileIn(path: string): string {
  return statSync(path).isDirectory() ? join(path, "manifest.json") : path;
}

async function list(): Promise<number> {
  const config = loadConfig();
  const registry = createPluginRegistry({ config, watch: false });
  registry.rescan();
  await registry.refreshInstalled();
  const rows = registry
    .list()
    .map((e) => [
      e.manifest.name,
      e.manifest.kind,
      e.source,
      e.installed === null ? "-" : e.installed ? "installed" : "missing",
      e.file,
    ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] as string).length), 6));
  console.log(["NAME", "KIND", "SOURCE", "CLI", "FILE"].map((h, i) => h.padEnd(widths[i] ?? 0)).join("  "));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
  const errors = registry.errors();
  if (errors.length) {
    console.error(`\n${errors.length} manifest(s) could not be loaded:`);
    for (const e of errors) console.error(describeError(e));
    return 1;
  }
  return 0;
}

function validate(target: string | undefined): number {
  if (!target) return fail("usage: opendray plugin validate <dir|file>", 2);
  const path = resolve(target);
  if (!existsSync(path)) return fail(`${target}: no such file or directory`);
  const files = statSync(path).isDirectory() ? findManifestFiles(path) : [path];
  if (!files.length) return fail(`${target}: no manifest.json found`);
  let bad = 0;
  for (const file of files) {
    const result = parseManifestText(readFileSync(file, "utf8"));
    if (result.ok) console.log(`ok  ${file} (${result.manifest.kind} ${result.manifest.name})`);
    else {
      bad++;
      console.error(describeError({ file, issues: result.issues }));
    }
  }
  if (bad) console.error(`${bad} of ${files.length} manifest(s) invalid`);
  return bad ? 1 : 0;
}

function install(argv: string[]): number {
  const src = argv.find((a) => !a.startsWith("--"));
  if (!src) return fail("usage: opendray plugin install <dir> [--force]", 2);
  const dir = resolve(src);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(`${src}: not a directory`);
  const file = manifestFileIn(dir);
  if (!existsSync(file)) return fail(`${src}: no manifest.json in it`);
  const result = parseManifestText(readFileSync(file, "utf8"));
  if (!result.ok) return fail(`${describeError({ file, issues: result.issues })}\nnot installed`);
  const { manifest } = result;
  const config = loadConfig();
  const target = join(config.plugins.dir, `${manifest.kind}s`, manifest.name);
  if (existsSync(target) && !argv.includes("--force"))
    return fail(`${manifest.name} is already installed at ${target} (use --force to replace it)`);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  rmSync(target, { recursive: true, force: true });
  cpSync(dir, target, { recursive: true });
  console.log(`installed ${manifest.kind} ${manifest.name} → ${target}`);
  return 0;
}

function remove(name: string | undefined): number {
  if (!name) return fail("usage: opendray plugin remove <name>", 2);
  const config = loadConfig();
  const found = scanDirectory(config.plugins.dir, "user").manifests.find((m) => m.manifest.name === name);
  if (!found) {
    const registry = createPluginRegistry({ config, watch: false });
    registry.rescan();
    const entry = registry.entry(name);
    if (entry?.source === "builtin")
      return fail(`${name} is a builtin plugin: it cannot be removed, disable it instead`);
    return fail(`${name} is not installed in ${config.plugins.dir}`);
  }
  rmSync(dirname(found.file), { recursive: true, force: true });
  console.log(`removed ${name} (${dirname(found.file)})`);
  return 0;
}

function scaffold(argv: string[]): number {
  const name = argv.find((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
  const kind = flag(argv, "--kind") ?? "agent";
  if (!name) return fail("usage: opendray plugin scaffold <name> [--kind agent|panel] [--dir <parent>]", 2);
  if (kind !== "agent" && kind !== "panel") return fail(`--kind must be agent or panel, not "${kind}"`, 2);
  const dir = join(resolve(flag(argv, "--dir") ?? "."), name);
  const file = join(dir, "manifest.json");
  if (existsSync(file)) return fail(`${file} already exists`);
  const manifest =
    kind === "agent"
      ? {
          name,
          kind,
          displayName: name,
          description: `The ${name} CLI`,
          icon: "🤖",
          version: "0.1.0",
          cliSpec: { command: name, defaultArgs: [], installDetect: `which ${name}` },
          capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
          models: [],
          configSchema: [{ key: "extraArgs", label: "Extra arguments", type: "string" }],
        }
      : {
          name,
          kind,
          displayName: name,
          description: `The ${name} panel`,
          icon: "🧩",
          version: "0.1.0",
          configSchema: [],
        };
  const check = parseManifestText(JSON.stringify(manifest));
  if (!check.ok) return fail(describeError({ file, issues: check.issues }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${file}\nedit it, then: opendray plugin validate ${dir} && opendray plugin install ${dir}`);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  switch (action) {
    case "list":
      return list();
    case "validate":
      return validate(rest[0]);
    case "install":
      return install(rest);
    case "remove":
      return remove(rest[0]);
    case "scaffold":
      return scaffold(rest);
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return action ? 0 : 2;
    default:
      return fail(`unknown action "${action}"\n\n${USAGE}`, 2);
  }
}
