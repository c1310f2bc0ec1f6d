import { type FSWatcher, mkdirSync, watch } from "node:fs";
import { AppError, notFound } from "../errors";
import { log } from "../log";
import {
  applyConfigUpdate,
  type ConfigValue,
  configToLaunch,
  configView,
  effectiveConfig,
  emptyConfig,
  type StoredConfig,
} from "./config-values";
import { detectInstalled } from "./detect";
import type { AgentManifest, Manifest } from "./manifest";
import { listModels, type ModelInfo } from "./models";
import {
  describeError,
  type LoadedManifest,
  type ManifestError,
  type PluginSource,
  scanBuiltins,
  scanDirectory,
} from "./scan";
import type { PluginStateStore } from "./store";

export interface PluginDir {
  path: string;
  source: Exclude<PluginSource, "builtin">;
  /** Create the directory when missing (the user's PLUGIN_DIR). */
  create?: boolean;
}

export interface RegistryOptions {
  builtins: { file: string; json: unknown }[];
  /** Lowest precedence first: a later directory's manifest replaces an earlier one of the same name. */
  dirs: PluginDir[];
  store?: PluginStateStore;
  detectIntervalMs?: number;
  watch?: boolean;
}

export interface PluginEntry {
  manifest: Manifest;
  source: PluginSource;
  file: string;
  enabled: boolean;
  /** Whether the agent's CLI is on this host; null for panels and before the first detection. */
  installed: boolean | null;
}

/** The plugins known to this server: builtins overlaid by plugin directories, with state from Postgres. */
export class PluginRegistry {
  private entries = new Map<string, LoadedManifest>();
  private loadErrors: ManifestError[] = [];
  private state = new Map<string, { enabled: boolean; config: StoredConfig }>();
  private installed = new Map<string, boolean>();
  private watchers: FSWatcher[] = [];
  private timer?: ReturnType<typeof setInterval>;
  private rescanTimer?: ReturnType<typeof setTimeout>;
  private listeners = new Set<() => void>();
  private startHooks: (() => () => void)[] = [];
  private configChecks = new Map<string, (config: Record<string, ConfigValue>) => void>();
  private stopHooks: (() => void)[] = [];

  constructor(private opts: RegistryOptions) {}

  async start() {
    if (this.opts.store) this.state = await this.opts.store.all();
    for (const d of this.opts.dirs) if (d.create) mkdirSync(d.path, { recursive: true, mode: 0o700 });
    this.rescan();
    await this.refreshInstalled();
    if (this.opts.watch !== false) this.startWatching();
    const every = this.opts.detectIntervalMs ?? 60_000;
    this.stopHooks = this.startHooks.map((f) => f());
    this.timer = setInterval(() => {
      this.refreshInstalled().catch((e) => log.warn("plugin install detection failed", { error: e }));
    }, every);
  }

  /** Runs `f` when the registry starts; the function it returns runs at stop. */
  onStart(f: () => () => void) {
    this.startHooks.push(f);
  }

  stop() {
    for (const off of this.stopHooks) off();
    this.stopHooks = [];
    clearInterval(this.timer);
    clearTimeout(this.rescanTimer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  /** Called after every rescan that changed something, and when a plugin is enabled or disabled. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private startWatching() {
    for (const d of this.opts.dirs) {
      try {
        const w = watch(d.path, { recursive: true }, () => this.scheduleRescan());
        w.on("error", (e) => log.warn("plugin directory watch failed", { dir: d.path, error: e }));
        this.watchers.push(w);
      } catch {
        // A missing ./plugins is normal outside a checkout.
      }
    }
  }

  private scheduleRescan() {
    clearTimeout(this.rescanTimer);
    // Editors write in several steps (truncate, write, rename): settle first.
    this.rescanTimer = setTimeout(() => {
      this.rescan();
      this.refreshInstalled().catch((e) => log.warn("plugin install detection failed", { error: e }));
    }, 150);
  }

  /** Reads the builtins and every plugin directory again; reports each broken manifest once per change. */
  rescan() {
    const results = [scanBuiltins(this.opts.builtins), ...this.opts.dirs.map((d) => scanDirectory(d.path, d.source))];
    const next = new Map<string, LoadedManifest>();
    for (const r of results) for (const m of r.manifests) next.set(m.manifest.name, m);
    const errors = results.flatMap((r) => r.errors);
    const before = JSON.stringify(this.loadErrors);
    if (JSON.stringify(errors) !== before)
      for (const e of errors) log.warn("invalid plugin manifest", { detail: describeError(e) });
    const changed =
      before !== JSON.stringify(errors) || JSON.stringify([...this.entries]) !== JSON.stringify([...next]);
    for (const name of this.entries.keys()) if (!next.has(name)) this.installed.delete(name);
    this.entries = next;
    this.loadErrors = errors;
    if (changed) this.notifyChange();
  }

  private notifyChange() {
    for (const l of this.listeners) l();
  }

  /** Runs install detection for every agent (or one), as every 60 s. */
  async refreshInstalled(name?: string) {
    const targets = [...this.entries.values()].filter(
      (e) => e.manifest.kind === "agent" && (!name || e.manifest.name === name),
    );
    await Promise.all(
      targets.map(async (e) => {
        const manifest = e.manifest as AgentManifest;
        const command = this.config(manifest.name).command;
        const installed = await detectInstalled(
          manifest,
          typeof command === "string" && command && command !== "auto" ? command : undefined,
        );
        this.installed.set(manifest.name, installed);
      }),
    );
  }

  errors(): ManifestError[] {
    return this.loadErrors;
  }

  list(): PluginEntry[] {
    return [...this.entries.keys()].sort().map((name) => this.entry(name) as PluginEntry);
  }

  entry(name: string): PluginEntry | undefined {
    const loaded = this.entries.get(name);
    if (!loaded) return undefined;
    return {
      ...loaded,
      enabled: this.state.get(name)?.enabled ?? true,
      installed: loaded.manifest.kind === "agent" ? (this.installed.get(name) ?? null) : null,
    };
  }

  /** The entry, or a 404 naming the plugin. */
  require(name: string): PluginEntry {
    const e = this.entry(name);
    if (!e) throw notFound(`plugin "${name}"`);
    return e;
  }

  async setEnabled(name: string, enabled: boolean) {
    const e = this.require(name);
    if (!enabled && e.manifest.required)
      throw new AppError("bad_request", `${name} is required and cannot be disabled`);
    await this.opts.store?.setEnabled(name, enabled);
    const current = this.state.get(name);
    this.state.set(name, { enabled, config: current?.config ?? emptyConfig() });
    if (current?.enabled !== enabled) this.notifyChange();
  }

  configView(name: string) {
    const e = this.require(name);
    return configView(e.manifest.configSchema ?? [], this.state.get(name)?.config ?? emptyConfig());
  }

  async updateConfig(name: string, values: Record<string, ConfigValue | null>) {
    const e = this.require(name);
    const fields = e.manifest.configSchema ?? [];
    if (!fields.length) throw new AppError("bad_request", `${name} has no config fields`);
    const next = applyConfigUpdate(fields, this.state.get(name)?.config ?? emptyConfig(), values);
    this.checkConfig(name, effectiveConfig(fields, next));
    await this.opts.store?.setConfig(name, next);
    this.state.set(name, { enabled: this.state.get(name)?.enabled ?? true, config: next });
    if ("command" in values) await this.refreshInstalled(name);
  }

  /**
   * `check` throws an AppError whose issues name config keys when a plugin's config cannot work; a
   * config update it refuses is a 422 naming them, and nothing is stored.
   */
  checkConfigWith(name: string, check: (config: Record<string, ConfigValue>) => void) {
    this.configChecks.set(name, check);
  }

  private checkConfig(name: string, config: Record<string, ConfigValue>) {
    try {
      this.configChecks.get(name)?.(config);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const issues = (e.issues ?? []).map((i) => ({ path: `values.${i.path}`, message: i.message }));
      throw new AppError("invalid", e.message, issues);
    }
  }

  /** The agent's models (what its CLI lists when the manifest says how); [] for a panel. */
  async models(name: string): Promise<ModelInfo[]> {
    const e = this.require(name);
    if (e.manifest.kind !== "agent") return [];
    const parts = configToLaunch(e.manifest.configSchema ?? [], this.config(name));
    return listModels(e.manifest, parts.env, parts.command);
  }

  /** Defaults, stored values and secrets together: what a launch uses. Never send this to a client. */
  config(name: string): Record<string, ConfigValue> {
    const e = this.entries.get(name);
    if (!e) return {};
    return effectiveConfig(e.manifest.configSchema ?? [], this.state.get(name)?.config ?? emptyConfig());
  }
}
