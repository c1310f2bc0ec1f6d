import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors";
import { log } from "../log";
import { codexSandbox } from "./codex-sandbox";
import { configToLaunch } from "./config-values";
import { whichCommand } from "./detect";
import type { AgentManifest, LlmSpec, ResumeSpec } from "./manifest";
import type { PluginRegistry } from "./registry";
import { splitShellWords } from "./shell-words";

export interface LaunchRequest {
  sessionId: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  extraArgs: string[];
  envOverrides: Record<string, string>;
  /** The id persisted from an earlier launch (LaunchPlan.resumeId), if any. */
  resumeId: string | null;
  /** True for the session's first start; later starts resume when the agent supports it. */
  firstStart: boolean;
  /**
   * A session routed to a model endpoint: the gateway root of this session, its token and model, and
   * a directory of its own (for the manifest's `llm.home`).
   */
  llm?: { gateway: string; token: string; model: string; homeDir?: string };
  /** The Claude account the session is bound to (src/accounts fills in its env). */
  claudeAccountId?: string | null;
}

export interface LaunchPlan {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** To persist on the session and pass back as LaunchRequest.resumeId on the next start. */
  resumeId: string | null;
  /** Inherited variables the session must not get (an API key that would win over an account's token). */
  unsetEnv?: string[];
}

export type ResolveLaunch = (req: LaunchRequest) => Promise<LaunchPlan>;

export interface LaunchOptions {
  /** In a container, Codex's sandbox is probed first (see codex-sandbox.ts). */
  inContainer?: boolean;
}

const invalid = (path: string, message: string) => new AppError("invalid", message, [{ path, message }]);
const fill = (args: string[], id: string) => args.map((a) => a.replaceAll("{id}", id));

function splitArgs(where: string, value: string): string[] {
  try {
    return splitShellWords(value);
  } catch (e) {
    throw invalid(where, `${where}: ${(e as Error).message}`);
  }
}

const WIRE_PATH: Record<LlmSpec["wire"], string> = {
  anthropicMessages: "anthropic",
  openaiChat: "openai",
  openaiResponses: "openai",
  geminiGenerate: "gemini",
};

/** The manifest's llm templates with the session's gateway, token and model filled in. */
function llmValues(spec: LlmSpec, llm: NonNullable<LaunchRequest["llm"]>, id: string, userHome: string) {
  const vars: Record<string, string> = {
    baseUrl: `${llm.gateway}/${WIRE_PATH[spec.wire]}`,
    gateway: llm.gateway,
    token: llm.token,
    model: llm.model,
    id,
  };
  const sub = (s: string) => s.replace(/\{(baseUrl|gateway|token|model|id)\}/g, (_m, k: string) => vars[k] ?? "");
  const env = Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, val]) => [k, sub(val)]));
  if (spec.home && llm.homeDir) env[spec.home.env] = sessionHome(spec.home, llm.homeDir, userHome);
  return { env, args: (spec.args ?? []).map(sub) };
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

/** `<root>/<dir>/` links every file of the user's `~/<dir>/` but the settings, which are merged. */
function sessionHome(home: NonNullable<LlmSpec["home"]>, root: string, userHome: string): string {
  const mine = join(userHome, home.dir);
  const theirs = join(root, home.dir);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(theirs, { recursive: true, mode: 0o700 });
  // Conversations must land in the user's own directory (resume looks there): make it exist.
  mkdirSync(join(mine, "tmp"), { recursive: true });
  for (const name of readdirSync(mine)) if (name !== home.settings) symlinkSync(join(mine, name), join(theirs, name));
  let settings: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(join(mine, home.settings), "utf8"));
    if (isObject(parsed)) settings = parsed;
  } catch {}
  writeFileSync(join(theirs, home.settings), JSON.stringify(deepMerge(settings, home.merge), null, 2), { mode: 0o600 });
  return root;
}

/** Runs the manifest's captureCommand in the session's cwd and returns the id its pattern finds. */
async function captureId(
  spec: ResumeSpec,
  command: { name: string; path: string },
  cwd: string,
  env: Record<string, string>,
) {
  const [first, ...rest] = spec.captureCommand ?? [];
  if (!first || !spec.capturePattern) return null;
  const argv = [first === command.name ? command.path : first, ...rest];
  try {
    const proc = Bun.spawn(argv, {
      cwd,
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "ignore",
      stdin: "ignore",
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    const [out] = await Promise.all([new Response(proc.stdout).text(), proc.exited]).finally(() => clearTimeout(timer));
    const cwdInJson = JSON.stringify(cwd)
      .slice(1, -1)
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(spec.capturePattern.replaceAll("{cwd}", cwdInJson)).exec(out)?.[1] ?? null;
  } catch (e) {
    log.warn("resume id capture failed", { command: argv.join(" "), error: e });
    return null;
  }
}

/** Whether the conversation `id` has been saved by the CLI (see ResumeSpec.savedAt). */
async function conversationSaved(spec: ResumeSpec, id: string, env: Record<string, string>): Promise<boolean> {
  if (!spec.savedAt) return true;
  const home = env.HOME ?? process.env.HOME ?? homedir();
  // Claude Code keeps everything of ~/.claude under CLAUDE_CONFIG_DIR when it is set.
  const configDir = env.CLAUDE_CONFIG_DIR;
  const pattern = (configDir ? spec.savedAt.replace(/^~\/\.claude(?=\/)/, configDir) : spec.savedAt)
    .replace(/^~(?=\/)/, home)
    .replace(/\{id(?::(\d+))?\}/g, (_m, n: string | undefined) => (n ? id.slice(0, Number(n)) : id));
  // Scan from the deepest literal directory, not from /.
  const parts = pattern.split("/");
  const firstGlob = parts.findIndex((p) => /[*?[{]/.test(p));
  if (firstGlob < 0) return existsSync(pattern);
  const base = parts.slice(0, firstGlob).join("/") || "/";
  if (!existsSync(base)) return false;
  for await (const _ of new Bun.Glob(parts.slice(firstGlob).join("/")).scan({ cwd: base, dot: true, onlyFiles: true }))
    return true;
  return false;
}

async function resumeArgs(
  manifest: AgentManifest,
  req: LaunchRequest,
  command: { name: string; path: string },
  env: Record<string, string>,
): Promise<{ args: string[]; resumeId: string | null }> {
  const spec = manifest.resume;
  if (!manifest.capabilities.supportsResume || !spec) return { args: [], resumeId: null };
  switch (spec.strategy) {
    case "mint": {
      if (!req.firstStart && req.resumeId && (await conversationSaved(spec, req.resumeId, env))) {
        return { args: fill(spec.resumeArgs, req.resumeId), resumeId: req.resumeId };
      }
      const id = req.resumeId ?? randomUUID();
      return { args: fill(spec.startArgs ?? [], id), resumeId: id };
    }
    case "capture": {
      if (req.firstStart) return { args: [], resumeId: req.resumeId };
      const id = req.resumeId ?? (await captureId(spec, command, req.cwd, env));
      if (id) return { args: fill(spec.resumeArgs, id), resumeId: id };
      return { args: spec.fallbackArgs ?? [], resumeId: null };
    }
    case "latest":
      return { args: req.firstStart ? [] : spec.resumeArgs, resumeId: null };
  }
}

/**
 * Builds the argv and env of an agent session from its plugin:
 * argv = command, defaultArgs, resume args, --model, config flags, config extraArgs, session extraArgs;
 * env = manifest env, config env, session envOverrides.
 * Resolving a first start runs nothing, so it also validates a launch without spawning.
 */
export async function resolveLaunch(
  registry: PluginRegistry,
  req: LaunchRequest,
  opts: LaunchOptions = {},
): Promise<LaunchPlan> {
  const entry = registry.entry(req.sessionType);
  if (entry?.manifest.kind !== "agent") {
    const known = registry
      .list()
      .filter((e) => e.manifest.kind === "agent")
      .map((e) => e.manifest.name);
    throw invalid(
      "sessionType",
      `unknown sessionType "${req.sessionType}": no agent plugin of that name (known: ${known.join(", ")})`,
    );
  }
  const manifest = entry.manifest;
  const title = manifest.displayName ?? manifest.name;
  if (!entry.enabled)
    throw invalid("sessionType", `${title} (${manifest.name}) is disabled: enable it in Providers first`);

  const config = configToLaunch(manifest.configSchema ?? [], registry.config(manifest.name));
  const name = config.command ?? manifest.cliSpec.command;
  const path = whichCommand(name, req.envOverrides.PATH ?? process.env.PATH);
  if (!path) {
    const how = manifest.cliSpec.install
      ? `install it with: ${manifest.cliSpec.install}`
      : `install "${name}" and make sure it is on PATH`;
    throw invalid("sessionType", `${title} is not installed on this host ("${name}" is not on PATH): ${how}`);
  }
  if (req.llm && !manifest.llm)
    throw invalid("llmProviderId", `${title} cannot be routed to a model endpoint (its manifest has no llm block)`);
  const routed =
    req.llm && manifest.llm
      ? llmValues(manifest.llm, req.llm, req.sessionId, req.envOverrides.HOME ?? process.env.HOME ?? homedir())
      : null;
  const configEnv = { ...config.env };
  for (const k of routed ? (manifest.llm?.unsetEnv ?? []) : []) delete configEnv[k];
  const env = { ...manifest.cliSpec.env, ...configEnv, ...routed?.env, ...req.envOverrides };
  const resume = await resumeArgs(manifest, req, { name, path }, env);
  const modelFlag = manifest.cliSpec.modelFlag;
  const sandbox = opts.inContainer && manifest.name === "codex" ? await codexSandbox(path) : null;
  const argv = [
    path,
    ...(sandbox?.args ?? []),
    ...(manifest.cliSpec.defaultArgs ?? []),
    ...resume.args,
    // A routed session names its model through the llm block's own templates.
    ...(routed ? routed.args : req.model && modelFlag ? [modelFlag, req.model] : []),
    ...config.args,
    ...(config.extraArgs ? splitArgs(`${manifest.name} config extraArgs`, config.extraArgs) : []),
    ...req.extraArgs,
  ];
  return { argv, env, cwd: req.cwd, resumeId: resume.resumeId };
}

/** The resolver the session service calls, bound to a registry. */
export const createLaunchResolver =
  (registry: PluginRegistry, opts: LaunchOptions = {}): ResolveLaunch =>
  (req) =>
    resolveLaunch(registry, req, opts);

/** Whether sessions of this type can be restarted with their conversation (for AUTO_RESUME). */
export function canResume(registry: PluginRegistry, sessionType: string): boolean {
  const m = registry.entry(sessionType)?.manifest;
  return m?.kind === "agent" && m.capabilities.supportsResume && !!m.resume;
}
