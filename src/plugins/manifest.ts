import * as v from "valibot";
import { HOOK_TYPES } from "../hooks/bus";

/** The plugin manifest format (agents and panels): the one schema that validates every manifest.json. */

const pluginName = v.pipe(
  v.string(),
  v.regex(
    /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/,
    "lowercase letters, digits and dashes, 1–64 characters, such as my-agent",
  ),
);
const envVar = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `at most ${max} characters`));
const args = v.array(v.string(), "a list of strings");

export const ConfigField = v.strictObject({
  key: v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_]*$/, "letters, digits and _, starting with a letter")),
  label: text(100),
  type: v.picklist(["string", "boolean", "select", "secret"], "one of string, boolean, select, secret"),
  description: v.optional(text(500)),
  placeholder: v.optional(text(200)),
  default: v.optional(v.union([v.string(), v.boolean()], "a string or a boolean")),
  options: v.optional(v.array(v.string())),
  required: v.optional(v.boolean()),
  /** The value is passed to the CLI in this environment variable. */
  envVar: v.optional(envVar),
  /** boolean: the flag is added when true; select/string: the flag is added when the value is set. */
  cliFlag: v.optional(v.pipe(v.string(), v.regex(/^-/, "a flag starting with -"))),
  /** select/string with cliFlag: the value follows the flag (`--flag value`). */
  cliValue: v.optional(v.boolean()),
  group: v.optional(text(60)),
  /** The field only applies when the field `dependsOn` has the value `dependsVal`. */
  dependsOn: v.optional(v.string()),
  dependsVal: v.optional(v.union([v.string(), v.boolean()])),
});
export type ConfigField = v.InferOutput<typeof ConfigField>;

const Model = v.strictObject({ id: text(200), name: text(100), description: v.optional(text(300)) });

const ResumeSpec = v.pipe(
  v.strictObject({
    /**
     * mint: OpenDray makes a UUID and passes it with `startArgs` on the first start;
     * capture: after a start, `captureCommand` (run in the session's cwd) reports the CLI's own id;
     * latest: the CLI continues the most recent conversation of the cwd; there is no id.
     */
    strategy: v.picklist(["mint", "capture", "latest"], "one of mint, capture, latest"),
    startArgs: v.optional(args),
    /** Arguments that resume; `{id}` is replaced by the stored id. */
    resumeArgs: args,
    /**
     * mint: a glob of the file the CLI writes once the conversation is saved (`~` is HOME, `{id}` the
     * id, `{id:8}` its first 8 characters). Until it exists, a restart starts the same id afresh: a
     * CLI asked to resume a conversation it never saved exits with an error.
     */
    savedAt: v.optional(v.pipe(v.string(), v.includes("{id", "must contain {id} or {id:N}"))),
    /** capture: used when no id could be captured. */
    fallbackArgs: v.optional(args),
    captureCommand: v.optional(v.pipe(args, v.minLength(1, "a command"))),
    /** capture: a regular expression whose first group is the id; `{cwd}` matches the session's cwd as JSON writes it. */
    capturePattern: v.optional(v.string()),
  }),
  v.check(
    (r) => r.strategy !== "mint" || (r.startArgs ?? []).some((a) => a.includes("{id}")),
    "mint needs startArgs containing {id}",
  ),
  v.check(
    (r) => r.strategy !== "capture" || (!!r.captureCommand && !!r.capturePattern),
    "capture needs captureCommand and capturePattern",
  ),
  v.check(
    (r) => r.strategy === "latest" || r.resumeArgs.some((a) => a.includes("{id}")),
    "resumeArgs must contain {id}",
  ),
);
export type ResumeSpec = v.InferOutput<typeof ResumeSpec>;

const HookSpec = v.strictObject({
  /** Each event is POSTed here as JSON: { type, sessionId, timestamp, data, plugin }. */
  url: v.pipe(v.string(), v.url("an http(s) URL")),
  events: v.array(v.picklist(HOOK_TYPES, `a hook: ${HOOK_TYPES.slice(0, -1).join(", ")} or ${HOOK_TYPES.at(-1)}`)),
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(60_000)), 5000),
});

const LlmSpec = v.strictObject({
  /** The wire the CLI speaks to its model; the gateway serves it at {baseUrl}. */
  wire: v.picklist(
    ["anthropicMessages", "openaiChat", "openaiResponses", "geminiGenerate"],
    "one of anthropicMessages, openaiChat, openaiResponses, geminiGenerate",
  ),
  /**
   * Added when a session is routed to a model endpoint. `{baseUrl}` is the gateway's root for this
   * wire, `{gateway}` the session's gateway root, `{token}` the session's gateway token, `{model}`
   * the model, `{id}` the session id. The token belongs in env only (argv is visible to `ps`).
   */
  env: v.optional(v.record(envVar, v.string())),
  args: v.optional(args),
  /** Variables of the plugin's own config (an API key, a base URL) dropped when routed. */
  unsetEnv: v.optional(v.array(envVar)),
  /**
   * A per-session home for CLIs that read their auth choice only from their settings: `env` names the
   * variable that points the CLI at it; `dir` (such as .gemini) holds links to the user's own files and
   * `settings`, the user's file with `merge` merged in.
   */
  home: v.optional(
    v.strictObject({
      env: envVar,
      dir: v.pipe(v.string(), v.regex(/^\.[A-Za-z0-9_.-]+$/, "a dot-directory such as .gemini")),
      settings: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+\.json$/, "a JSON file name such as settings.json")),
      merge: v.record(v.string(), v.unknown()),
    }),
  ),
});
export type LlmSpec = v.InferOutput<typeof LlmSpec>;

const HomeSpec = v.strictObject({
  env: envVar,
  dir: v.pipe(v.string(), v.regex(/^\.[A-Za-z0-9_.-]+$/, "a dot-directory such as .gemini")),
  settings: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+\.json$/, "a JSON file name such as settings.json")),
  merge: v.record(v.string(), v.unknown()),
});

/**
 * How the CLI is given the session's one MCP server, `opendray` (src/mcp). Templates anywhere in it:
 * `{url}` the session's MCP gateway URL, `{token}` its gateway token (env only), `{file}` the path of
 * the rendered `file`, `{id}` the session id, `{exe}` this OpenDray's executable and, as an array element
 * of its own, `{exeArgs}` the arguments that follow it (src/main.ts from source; none when compiled).
 */
const McpSpec = v.strictObject({
  env: v.optional(v.record(envVar, v.string())),
  args: v.optional(args),
  /** Added when the session asks for strict MCP (only OpenDray's server). */
  strictArgs: v.optional(args),
  /** Written as JSON to a 0600 file of the session's own under OPENDRAY_HOME. */
  file: v.optional(v.record(v.string(), v.unknown())),
  /** Deep-merged into the JSON an env variable holds (OpenCode's OPENCODE_CONFIG_CONTENT, with the llm block's). */
  jsonEnv: v.optional(v.record(envVar, v.record(v.string(), v.unknown()))),
  /** A per-session home as in llm.home; a routed session's home gets the merge too. */
  home: v.optional(HomeSpec),
});
export type McpSpec = v.InferOutput<typeof McpSpec>;

const common = {
  $schema: v.optional(v.string()),
  name: pluginName,
  displayName: v.optional(text(64)),
  description: v.optional(text(280)),
  /** displayName and description in other languages, by BCP 47 tag: `{"zh-CN": {"displayName": "终端"}}`. */
  i18n: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language tag such as zh-CN")),
      v.strictObject({ displayName: v.optional(text(64)), description: v.optional(text(280)) }),
    ),
  ),
  icon: v.optional(text(64)),
  version: v.optional(
    v.pipe(v.string(), v.regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, "a semantic version such as 1.0.0")),
  ),
  category: v.optional(text(40)),
  configSchema: v.optional(v.array(ConfigField)),
  /** A required plugin cannot be disabled or removed. */
  required: v.optional(v.boolean()),
  hooks: v.optional(HookSpec),
};

export const AgentManifest = v.strictObject({
  ...common,
  kind: v.literal("agent"),
  cliSpec: v.strictObject({
    /** The executable, looked up on PATH; `auto` means the first of zsh, bash, sh found. */
    command: v.pipe(v.string(), v.minLength(1, "a command")),
    defaultArgs: v.optional(args),
    /** A shell command that exits 0 when the CLI is installed (default: the command is on PATH). */
    installDetect: v.optional(v.string()),
    /** Told to the user when the CLI is missing, such as `npm i -g my-agent-cli`. */
    install: v.optional(text(300)),
    env: v.optional(v.record(envVar, v.string())),
    /** With dynamicModels: a command that prints the available model ids, one per line. */
    modelsCommand: v.optional(v.pipe(args, v.minLength(1, "a command"))),
    /** The flag that picks a model; null when the CLI has none. */
    modelFlag: v.optional(v.nullable(v.string()), "--model"),
  }),
  capabilities: v.strictObject({
    supportsResume: v.boolean(),
    supportsStream: v.boolean(),
    supportsMcp: v.boolean(),
  }),
  models: v.optional(v.array(Model)),
  /** Models come from the CLI or an LLM endpoint at run time; `models` are only suggestions. */
  dynamicModels: v.optional(v.boolean()),
  supportsImages: v.optional(v.boolean()),
  resume: v.optional(ResumeSpec),
  /** How the CLI is pointed at OpenDray's model gateway (a session with llmProviderId). */
  llm: v.optional(LlmSpec),
  mcp: v.optional(McpSpec),
});
export type AgentManifest = v.InferOutput<typeof AgentManifest>;

export const PanelManifest = v.strictObject({
  ...common,
  kind: v.literal("panel"),
});
export type PanelManifest = v.InferOutput<typeof PanelManifest>;

export const Manifest = v.variant("kind", [AgentManifest, PanelManifest], 'kind must be "agent" or "panel"');
export type Manifest = AgentManifest | PanelManifest;

export interface ManifestIssue {
  /** Dotted path of the field, such as `cliSpec.command`; empty for the whole manifest. */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; manifest: Manifest } | { ok: false; issues: ManifestIssue[] };

/** Validates a parsed manifest; unknown fields are errors. */
export function parseManifest(input: unknown): ParseResult {
  const result = v.safeParse(Manifest, input);
  if (result.success) {
    const m = result.output as Manifest;
    if (m.kind === "agent" && m.capabilities.supportsResume && !m.resume) {
      return { ok: false, issues: [{ path: "resume", message: "required when capabilities.supportsResume is true" }] };
    }
    return { ok: true, manifest: m };
  }
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      path: v.getDotPath(issue) ?? "",
      message: unknownKeyMessage(issue) ?? issue.message,
    })),
  };
}

function unknownKeyMessage(issue: v.BaseIssue<unknown>): string | undefined {
  if (!issue.path?.length || issue.kind !== "schema") return undefined;
  if (issue.expected === "never") return "unknown field";
  if (issue.message.startsWith("Invalid key")) return "required field is missing";
  return undefined;
}

/** Parses manifest.json text: a JSON syntax error is reported like a schema error. */
export function parseManifestText(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [{ path: "", message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return parseManifest(json);
}
