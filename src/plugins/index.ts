import { join, resolve } from "node:path";
import type { Sql } from "postgres";
import type { Config } from "../config";
import type { HookBus } from "../hooks/bus";
import { builtinManifests } from "./builtin";
import { forwardHooksToPlugins } from "./hooks";
import { type PluginDir, PluginRegistry } from "./registry";
import { SecretBox } from "./secret-box";
import { PluginStateStore } from "./store";

export { forwardHooksToPlugins, hookSubscriptions } from "./hooks";
export {
  canResume,
  createLaunchResolver,
  type LaunchPlan,
  type LaunchRequest,
  type ResolveLaunch,
  resolveLaunch,
} from "./launch";
export { type AgentManifest, type Manifest, parseManifest, parseManifestText } from "./manifest";
export { type PluginEntry, PluginRegistry } from "./registry";
export { createProviderRoutes, type ProviderRouteDeps } from "./routes";
export type { ManifestError } from "./scan";

/** The plugin directories, lowest precedence first: ./plugins (a checkout), then PLUGIN_DIR (the user's). */
export function pluginDirs(config: Pick<Config, "plugins">, cwd = process.cwd()): PluginDir[] {
  const local = resolve(cwd, "plugins");
  const user = resolve(config.plugins.dir);
  const dirs: PluginDir[] = [];
  if (local !== user) dirs.push({ path: local, source: "local" });
  dirs.push({ path: user, source: "user", create: true });
  return dirs;
}

/** The server's registry: builtins embedded in the binary, overlaid by the plugin directories; state in Postgres. */
export function createPluginRegistry(opts: {
  config: Pick<Config, "plugins" | "home">;
  sql?: Sql;
  /** Delivers hook events to the plugins whose manifests ask for them. */
  hooks?: HookBus;
  cwd?: string;
  detectIntervalMs?: number;
  watch?: boolean;
}) {
  const registry = new PluginRegistry({
    builtins: builtinManifests,
    dirs: pluginDirs(opts.config, opts.cwd),
    store: opts.sql
      ? new PluginStateStore(opts.sql, SecretBox.fromKeyFile(join(opts.config.home, "plugin-secrets.key")))
      : undefined,
    detectIntervalMs: opts.detectIntervalMs,
    watch: opts.watch,
  });
  if (opts.hooks) {
    const bus = opts.hooks;
    registry.onStart(() => forwardHooksToPlugins(bus, registry));
  }
  return registry;
}
export { type PanelLookup, panelEnabled, panelGuard } from "./panel-guard";
