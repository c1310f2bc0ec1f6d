import { beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors";
import { builtinManifests } from "./builtin";
import { canResume, type LaunchRequest, resolveLaunch } from "./launch";
import { PluginRegistry } from "./registry";

// The CLIs' names on a PATH of our own, so argv resolution does not depend on what this host has.
const bin = mkdtempSync(join(tmpdir(), "launch-bin-"));
for (const cmd of ["claude", "codex", "gemini", "opencode", "qwen"]) symlinkSync("/bin/true", join(bin, cmd));
const PATH = `${bin}:/usr/bin:/bin`;
const userDir = mkdtempSync(join(tmpdir(), "launch-plugins-"));
const cwd = mkdtempSync(join(tmpdir(), "launch-cwd-"));
// Where the CLIs save conversations (their manifests' resume.savedAt) in a HOME of our own.
const home = mkdtempSync(join(tmpdir(), "launch-home-"));
function saved(path: string) {
  mkdirSync(join(home, path, ".."), { recursive: true });
  writeFileSync(join(home, path), "{}");
}
const registry = new PluginRegistry({
  builtins: builtinManifests,
  dirs: [{ path: userDir, source: "user" }],
  watch: false,
});

/** A user agent plugin running `sh` that can resume, plus `manifest`'s own fields; the registry rescans. */
function addAgent(name: string, manifest: Record<string, unknown>) {
  mkdirSync(join(userDir, name));
  writeFileSync(
    join(userDir, name, "manifest.json"),
    JSON.stringify({
      name,
      kind: "agent",
      cliSpec: { command: "sh" },
      capabilities: { supportsResume: true, supportsStream: true, supportsMcp: false },
      ...manifest,
    }),
  );
  registry.rescan();
}

beforeAll(() => {
  addAgent("capturer", {
    cliSpec: { command: "sh", env: { FROM: "manifest", KEEP: "manifest" } },
    resume: {
      strategy: "capture",
      // prints what `opencode session list --format json` prints, for this cwd and another one
      captureCommand: [
        "sh",
        "-c",
        `printf '[{"id":"ses_Other","directory":"/elsewhere"},{"id":"ses_Mine","directory":"%s"}]' ${cwd}`,
      ],
      capturePattern: '"id"\\s*:\\s*"(ses_[A-Za-z0-9]+)"[^{}]*"directory"\\s*:\\s*"{cwd}"',
      resumeArgs: ["--session", "{id}"],
      fallbackArgs: ["--continue"],
    },
    configSchema: [{ key: "mode", label: "Mode", type: "string", envVar: "FROM" }],
  });
});

const req = (over: Partial<LaunchRequest>): LaunchRequest => ({
  sessionId: crypto.randomUUID(),
  sessionType: "claude",
  cwd,
  model: null,
  extraArgs: [],
  envOverrides: { PATH, HOME: home },
  resumeId: null,
  firstStart: true,
  ...over,
});

test("Claude gets a pre-minted --session-id on its first start and --resume with it afterwards", async () => {
  const first = await resolveLaunch(
    registry,
    req({ model: "sonnet", extraArgs: ["--append-system-prompt", "be brief, please"] }),
  );
  expect(first.resumeId).toMatch(/^[0-9a-f-]{36}$/);
  saved(`.claude/projects/-tmp-x/${first.resumeId}.jsonl`);
  expect(first.argv).toEqual([
    join(bin, "claude"),
    "--session-id",
    first.resumeId as string,
    "--model",
    "sonnet",
    "--append-system-prompt",
    "be brief, please",
  ]);
  const again = await resolveLaunch(registry, req({ resumeId: first.resumeId, firstStart: false }));
  expect(again.argv).toEqual([join(bin, "claude"), "--resume", first.resumeId as string]);
  expect(again.resumeId).toBe(first.resumeId);
  expect(canResume(registry, "claude")).toBe(true);
  expect(canResume(registry, "terminal")).toBe(false);
});

test("a minted conversation the CLI never saved starts afresh with the same id instead of failing to resume", async () => {
  const saverHome = mkdtempSync(join(tmpdir(), "launch-home-"));
  addAgent("saver", {
    resume: {
      strategy: "mint",
      startArgs: ["--new", "{id}"],
      resumeArgs: ["--resume", "{id}"],
      savedAt: "~/.saver/*/chats/s-*-{id:8}.json",
    },
  });
  const env = { PATH, HOME: saverHome };
  const first = await resolveLaunch(registry, req({ sessionType: "saver", envOverrides: env }));
  const id = first.resumeId as string;
  const unsaved = await resolveLaunch(
    registry,
    req({ sessionType: "saver", envOverrides: env, firstStart: false, resumeId: id }),
  );
  expect(unsaved.argv.slice(1)).toEqual(["--new", id]);
  mkdirSync(join(saverHome, ".saver", "proj", "chats"), { recursive: true });
  writeFileSync(join(saverHome, ".saver", "proj", "chats", `s-2026-${id.slice(0, 8)}.json`), "{}");
  const saved = await resolveLaunch(
    registry,
    req({ sessionType: "saver", envOverrides: env, firstStart: false, resumeId: id }),
  );
  expect(saved.argv.slice(1)).toEqual(["--resume", id]);
});

test("config becomes flags and env after --model; session env overrides win", async () => {
  await registry.updateConfig("claude", {
    bypassPermissions: true,
    permissionMode: "plan",
    authType: "custom",
    apiKey: "sk-test",
    extraArgs: "--verbose",
  });
  const plan = await resolveLaunch(
    registry,
    req({
      model: "opus",
      extraArgs: ["--debug"],
      envOverrides: { PATH, HOME: home, ANTHROPIC_API_KEY: "from-session" },
    }),
  );
  expect(plan.argv.slice(3)).toEqual([
    "--model",
    "opus",
    "--dangerously-skip-permissions",
    "--permission-mode",
    "plan",
    "--verbose",
    "--debug",
  ]);
  expect(plan.env.ANTHROPIC_API_KEY).toBe("from-session");
  await registry.updateConfig("claude", {
    authType: "env",
    permissionMode: null,
    bypassPermissions: false,
    extraArgs: null,
  });
  const envAuth = await resolveLaunch(registry, req({}));
  expect(envAuth.env.ANTHROPIC_API_KEY).toBeUndefined();
  expect(envAuth.argv.slice(3)).toEqual([]);
});

test("Codex, Gemini and Qwen resume the way their current CLIs do", async () => {
  const codex = await resolveLaunch(registry, req({ sessionType: "codex", firstStart: false, model: "o3" }));
  expect(codex.argv.slice(1)).toEqual(["resume", "--last", "--model", "o3"]);
  const gemini = await resolveLaunch(registry, req({ sessionType: "gemini" }));
  expect(gemini.argv.slice(1)).toEqual(["--session-id", gemini.resumeId as string]);
  saved(`.gemini/tmp/proj/chats/session-2026-11-24T20-14-${gemini.resumeId?.slice(0, 8)}.jsonl`);
  const geminiAgain = await resolveLaunch(
    registry,
    req({ sessionType: "gemini", firstStart: false, resumeId: gemini.resumeId }),
  );
  expect(geminiAgain.argv.slice(1)).toEqual(["--resume", gemini.resumeId as string]);
  await registry.updateConfig("qwen-code", {
    authType: "openai",
    apiKey: "k",
    baseUrl: "http://127.0.0.1:9/v1",
    approvalMode: "yolo",
  });
  saved(".qwen/projects/-tmp-x/chats/abc.jsonl");
  const qwen = await resolveLaunch(registry, req({ sessionType: "qwen-code", firstStart: false, resumeId: "abc" }));
  expect(qwen.argv).toEqual([join(bin, "qwen"), "--resume", "abc", "--auth-type", "openai", "--approval-mode", "yolo"]);
  expect(qwen.env).toMatchObject({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
});

test("a CLI's own session id is captured for the session's cwd when it restarts", async () => {
  const first = await resolveLaunch(registry, req({ sessionType: "capturer" }));
  expect(first.argv.slice(1)).toEqual([]);
  expect(first.resumeId).toBeNull();
  const later = await resolveLaunch(registry, req({ sessionType: "capturer", firstStart: false }));
  expect(later.argv.slice(1)).toEqual(["--session", "ses_Mine"]);
  expect(later.resumeId).toBe("ses_Mine");
  const elsewhere = await resolveLaunch(registry, req({ sessionType: "capturer", firstStart: false, cwd: tmpdir() }));
  expect(elsewhere.argv.slice(1)).toEqual(["--continue"]);
});

test("env is manifest env, then config env, then the session's overrides", async () => {
  await registry.updateConfig("capturer", { mode: "config" });
  const plan = await resolveLaunch(registry, req({ sessionType: "capturer", envOverrides: { PATH, KEEP: "session" } }));
  expect(plan.env).toEqual({ FROM: "config", KEEP: "session", PATH });
});

test("the terminal runs a login shell and takes no --model", async () => {
  const plan = await resolveLaunch(registry, req({ sessionType: "terminal", model: "sonnet" }));
  expect(plan.argv.slice(1)).toEqual(["-l"]);
  expect(plan.argv[0]).toMatch(/\/(zsh|bash|sh)$/);
});

async function launchError(r: LaunchRequest): Promise<AppError> {
  try {
    await resolveLaunch(registry, r);
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected the launch to fail");
}

test("an unknown sessionType, a disabled agent and a missing CLI are 422s that say what to do", async () => {
  const unknown = await launchError(req({ sessionType: "nope" }));
  expect(unknown.status).toBe(422);
  expect(unknown.issues?.[0]?.path).toBe("sessionType");
  expect(unknown.message).toContain('unknown sessionType "nope"');
  const missing = await launchError(req({ envOverrides: { PATH: "/nonexistent" } }));
  expect(missing.status).toBe(422);
  expect(missing.message).toBe(
    'Claude Code is not installed on this host ("claude" is not on PATH): install it with: npm i -g @anthropic-ai/claude-code',
  );
  await registry.setEnabled("codex", false);
  const disabled = await launchError(req({ sessionType: "codex" }));
  expect(disabled.message).toContain("disabled");
  await registry.setEnabled("codex", true);
  expect(registry.setEnabled("claude", false)).rejects.toThrow("required");
});

test("a session routed to a model endpoint gets its manifest's llm env and args instead of --model, the plugin's own key dropped", async () => {
  const llm = { gateway: "http://127.0.0.1:8640/llm/s/abc", token: "odl_tok", model: "qwen3:8b" };
  const claude = await resolveLaunch(registry, req({ model: "qwen3:8b", llm }));
  expect(claude.argv).not.toContain("--model");
  expect(claude.env).toMatchObject({
    ANTHROPIC_BASE_URL: "http://127.0.0.1:8640/llm/s/abc/anthropic",
    ANTHROPIC_AUTH_TOKEN: "odl_tok",
    ANTHROPIC_API_KEY: "",
    ANTHROPIC_MODEL: "qwen3:8b",
    ANTHROPIC_DEFAULT_HAIKU_MODEL: "qwen3:8b",
  });
  const codex = await resolveLaunch(registry, req({ sessionType: "codex", model: "m", llm }));
  expect(codex.argv.slice(1)).toEqual([
    "-c",
    "model_provider=opendray",
    "-c",
    'model_providers.opendray={name="OpenDray",base_url="http://127.0.0.1:8640/llm/s/abc/openai/v1",env_key="OPENDRAY_LLM_TOKEN",wire_api="responses"}',
    "-c",
    'model="qwen3:8b"',
  ]);
  expect(codex.env.OPENDRAY_LLM_TOKEN).toBe("odl_tok");
  // The token never goes in argv.
  for (const type of ["claude", "codex", "opencode", "qwen-code", "gemini"])
    expect((await resolveLaunch(registry, req({ sessionType: type, model: "m", llm }))).argv.join(" ")).not.toContain(
      "odl_tok",
    );
  const opencode = await resolveLaunch(registry, req({ sessionType: "opencode", model: "m", llm }));
  expect(opencode.argv.slice(-2)).toEqual(["--model", "opendray/qwen3:8b"]);
  expect(JSON.parse(opencode.env.OPENCODE_CONFIG_CONTENT as string).provider.opendray.options).toEqual({
    baseURL: "http://127.0.0.1:8640/llm/s/abc/openai/v1",
    apiKey: "{env:OPENDRAY_LLM_TOKEN}",
  });
});

test("a routed Gemini CLI gets a home of its own: the user's files linked, settings merged with the API-key auth", async () => {
  mkdirSync(join(home, ".gemini"), { recursive: true });
  writeFileSync(join(home, ".gemini", "settings.json"), JSON.stringify({ ui: { theme: "x" } }));
  writeFileSync(join(home, ".gemini", "GEMINI.md"), "mine");
  const homeDir = mkdtempSync(join(tmpdir(), "launch-llm-home-"));
  const plan = await resolveLaunch(
    registry,
    req({ sessionType: "gemini", model: "m", llm: { gateway: "http://g/llm/s/x", token: "t", model: "m", homeDir } }),
  );
  expect(plan.env.GEMINI_CLI_HOME).toBe(homeDir);
  expect(plan.env.GOOGLE_GEMINI_BASE_URL).toBe("http://g/llm/s/x/gemini");
  const settings = JSON.parse(readFileSync(join(homeDir, ".gemini", "settings.json"), "utf8"));
  expect(settings).toEqual({ ui: { theme: "x" }, security: { auth: { selectedType: "gemini-api-key" } } });
  expect(readFileSync(join(homeDir, ".gemini", "GEMINI.md"), "utf8")).toBe("mine");
  expect(JSON.parse(readFileSync(join(home, ".gemini", "settings.json"), "utf8"))).toEqual({ ui: { theme: "x" } });
});

test("an agent whose manifest has no llm block cannot be routed", async () => {
  const llm = { gateway: "http://g", token: "t", model: "m" };
  const err = await resolveLaunch(registry, req({ sessionType: "capturer", llm })).catch((e) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).issues?.[0]?.path).toBe("llmProviderId");
});
