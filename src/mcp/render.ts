import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { log } from "../log";
import type { LaunchRequest, ResolveLaunch } from "../plugins/launch";
import type { McpSpec } from "../plugins/manifest";

export interface McpRenderDeps {
  /** The agent manifest's `mcp` block, undefined for sessions that get no MCP server. */
  spec: (sessionType: string) => McpSpec | undefined;
  /** A fresh per-session gateway token (src/llm/tokens.ts), when the llm wrapper has not minted one. */
  mint: (sessionId: string) => Promise<string>;
  serverUrl: () => string;
  /** argv that runs this OpenDray (`{exe}`, `{exeArgs}`): the compiled binary, or bun and src/main.ts. */
  self: string[];
  /** The session's row (null before it exists: a create validates its launch first, and gets nothing yet). */
  session: (sessionId: string) => Promise<{ mcpStrict: boolean } | null>;
  /** OPENDRAY_HOME/mcp-sessions: one 0700 directory per session, removed when the session is deleted. */
  root: string;
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, val] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isObject(cur) && isObject(val) ? deepMerge(cur, val) : val;
  }
  return out;
}

/** `{exeArgs}`, an array element of its own, stands for the arguments after `{exe}` (none when compiled). */
const EXE_ARGS = "{exeArgs}";

function fill<T>(value: T, vars: Record<string, string>, exeArgs: string[] = []): T {
  if (typeof value === "string")
    return value.replace(/\{(url|token|file|id|exe)\}/g, (_m, k: string) => vars[k] ?? "") as T;
  if (Array.isArray(value)) return value.flatMap((x) => (x === EXE_ARGS ? exeArgs : [fill(x, vars, exeArgs)])) as T;
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, fill(x, vars, exeArgs)])) as T;
  return value;
}

function readJson(path: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The per-session home (Gemini CLI's GEMINI_CLI_HOME): `<root>/<dir>/` links the user's own files and
 * holds their settings with the merge applied. A home the llm wrapper already made gets the merge.
 */
function overlay(home: NonNullable<McpSpec["home"]>, existing: string | undefined, root: string, userHome: string) {
  if (existing && existsSync(join(existing, home.dir, home.settings))) {
    const file = join(existing, home.dir, home.settings);
    writeFileSync(file, JSON.stringify(deepMerge(readJson(file), home.merge), null, 2), { mode: 0o600 });
    return existing;
  }
  const mine = join(userHome, home.dir);
  const theirs = join(root, home.dir);
  mkdirSync(theirs, { recursive: true, mode: 0o700 });
  // Conversations must land in the user's own directory (resume looks there).
  mkdirSync(join(mine, "tmp"), { recursive: true });
  for (const name of readdirSync(mine)) if (name !== home.settings) symlinkSync(join(mine, name), join(theirs, name));
  const settings = deepMerge(readJson(join(mine, home.settings)), home.merge);
  writeFileSync(join(theirs, home.settings), JSON.stringify(settings, null, 2), { mode: 0o600 });
  return root;
}

/**
 * Wraps the launch resolver: every agent whose manifest has an `mcp` block is given the session's one
 * MCP server, `opendray` at /mcp/s/{id}, by flags, env, a 0600 file or a per-session home of its own.
 * Nothing is written to the user's config or the project. Goes inside routedResolver, so a routed
 * session's token (req.llm.token) is the same credential.
 */
export function mcpResolver(inner: ResolveLaunch, deps: McpRenderDeps): ResolveLaunch {
  return async (req: LaunchRequest) => {
    const spec = deps.spec(req.sessionType);
    const session = spec ? await deps.session(req.sessionId) : null;
    if (!spec || !session) return inner(req);
    const token = req.llm?.token ?? (await deps.mint(req.sessionId));
    const plan = await inner(req);
    const dir = join(deps.root, req.sessionId);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const vars = {
      url: `${deps.serverUrl()}/mcp/s/${req.sessionId}`,
      token,
      id: req.sessionId,
      file: join(dir, "mcp.json"),
      exe: deps.self[0] ?? "",
    };
    const exeArgs = deps.self.slice(1);
    if (spec.file) writeFileSync(vars.file, JSON.stringify(fill(spec.file, vars, exeArgs), null, 2), { mode: 0o600 });
    const env = { ...plan.env, ...fill(spec.env ?? {}, vars) };
    for (const [name, merge] of Object.entries(spec.jsonEnv ?? {})) {
      let current: Record<string, unknown> = {};
      try {
        const parsed = JSON.parse(env[name] ?? "{}");
        if (isObject(parsed)) current = parsed;
      } catch {
        log.warn("mcp: not JSON, replaced", { variable: name, sessionId: req.sessionId });
      }
      env[name] = JSON.stringify(deepMerge(current, fill(merge, vars)));
    }
    if (spec.home) {
      const userHome = req.envOverrides.HOME ?? process.env.HOME ?? homedir();
      env[spec.home.env] = overlay(fill(spec.home, vars), env[spec.home.env], join(dir, "home"), userHome);
    }
    const [command, ...rest] = plan.argv;
    const args = fill([...(spec.args ?? []), ...(session.mcpStrict ? (spec.strictArgs ?? []) : [])], vars);
    return { ...plan, env, argv: command === undefined ? plan.argv : [command, ...args, ...rest] };
  };
}

/** Deletes a session's rendered files (on session delete). */
export function removeRendered(root: string, sessionId: string) {
  rmSync(join(root, sessionId), { recursive: true, force: true });
}
