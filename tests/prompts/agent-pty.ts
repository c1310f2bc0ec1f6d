import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinPromptRules } from "../../src/prompts/builtin-rules";
import { type Prompt, PromptTracker } from "../../src/prompts/tracker";
import { ScreenModel } from "../../src/screen/index";
import { killProgramsUnder } from "../harness";

/** A real agent CLI on a 120×40 PTY whose output feeds a ScreenModel, as the PTY daemon does. */
export class AgentPty {
  readonly screen: ScreenModel;
  private readonly proc: Bun.Subprocess;
  private cursor = 0;
  readonly raw: Uint8Array[] = [];
  lastByteAt = 0;

  constructor(argv: string[], opts: { cwd: string; env: Record<string, string>; cols?: number; rows?: number }) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 40;
    this.screen = new ScreenModel(cols, rows, 1000);
    this.proc = Bun.spawn(argv, {
      cwd: opts.cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        TERM: "xterm-256color",
        COLORTERM: "truecolor",
        LANG: "C.UTF-8",
        ...opts.env,
      },
      terminal: {
        cols,
        rows,
        data: (_t, bytes) => {
          const copy = bytes.slice();
          this.raw.push(copy);
          this.cursor += copy.length;
          this.lastByteAt = performance.now();
          this.screen.write(copy, this.cursor);
        },
      },
    });
  }

  write(keys: string) {
    this.proc.terminal?.write(keys);
  }

  /**
   * Types a request and presses Enter until `submitted()` holds (the model stub saw a request):
   * TUIs that detect pastes by timing may take an Enter right after a burst of text as a newline.
   */
  async submit(text: string, submitted: () => boolean) {
    this.write(text);
    await this.waitForScreen((s) => s.includes(text), 5000, `the typed "${text}"`);
    for (let attempt = 0; attempt < 4; attempt++) {
      this.write("\r");
      const deadline = performance.now() + 1500;
      while (performance.now() < deadline) {
        if (submitted()) return;
        await Bun.sleep(20);
      }
    }
    throw new Error(`"${text}" was not submitted; screen:\n${(await this.lines()).join("\n")}`);
  }

  async lines(): Promise<string[]> {
    return (await this.screen.snapshot({ settled: true })).lines;
  }

  /** A prompt tracker on this agent's screen with the agent's builtin rules, answering into this PTY. */
  track(agent: keyof typeof builtinPromptRules, sessionId: string = agent): PromptTracker {
    return new PromptTracker({
      sessionId,
      agent,
      rules: builtinPromptRules[agent],
      screen: this.screen,
      write: (k) => this.write(k),
    });
  }

  /** Waits for `appeared`; after timeoutMs fails with "no <what>" and the screen. */
  async within(appeared: Promise<Prompt>, timeoutMs: number, what = "prompt"): Promise<Prompt> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        async () => reject(new Error(`no ${what}; screen:\n${(await this.lines()).join("\n")}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([appeared, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls the rendered screen until `pred` holds; throws with the screen on timeout. */
  async waitForScreen(pred: (text: string) => boolean, timeoutMs: number, what: string): Promise<string[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const lines = await this.lines();
      if (pred(lines.join("\n"))) return lines;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${lines.join("\n")}`);
      await Bun.sleep(50);
    }
  }

  async stop() {
    try {
      this.proc.kill("SIGKILL");
    } catch {}
    await this.proc.exited;
    this.screen.dispose();
  }
}

const roots: string[] = [];

/** A temp dir of its own for one agent run; all of them go at the end of the test run. */
function agentRoot(agent: string) {
  const root = mkdtempSync(join(tmpdir(), `opendray-${agent}-`));
  roots.push(root);
  return root;
}

/** Removes every agent root this run made (Codex copies its 400 MB binary into each), killing what still runs there. */
export function removeAgentRoots() {
  for (const root of roots.splice(0)) {
    killProgramsUnder(root);
    rmSync(root, { recursive: true, force: true });
  }
}

/** A temp HOME + project dir for Claude Code, past onboarding, with the stub's API key approved. */
export function claudeHome(baseUrl: string, opts: { trusted?: boolean } = {}) {
  const root = agentRoot("claude");
  const home = join(root, "home");
  const project = join(root, "project");
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  const apiKey = "sk-ant-api03-opendray-test-key-0000000000000000";
  const config: Record<string, unknown> = {
    hasCompletedOnboarding: true,
    numStartups: 5,
    theme: "dark",
    bypassPermissionsModeAccepted: false,
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
    projects: opts.trusted ? { [project]: { hasTrustDialogAccepted: true, allowedTools: [] } } : {},
  };
  writeFileSync(join(home, ".claude.json"), JSON.stringify(config));
  const env = {
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: apiKey,
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: "1",
  };
  return { root, home, project, env };
}

/** A temp HOME + project dir for Qwen Code on the OpenAI-compatible stub, in the default approval mode. */
export function qwenHome(baseUrl: string) {
  const root = agentRoot("qwen");
  const home = join(root, "home");
  const project = join(root, "project");
  mkdirSync(join(home, ".qwen"), { recursive: true });
  mkdirSync(project, { recursive: true });
  const settings = {
    security: { auth: { selectedType: "openai" } },
    model: { name: "stub-model" },
    privacy: { usageStatisticsEnabled: false },
  };
  writeFileSync(join(home, ".qwen", "settings.json"), JSON.stringify(settings));
  const env = { HOME: home, OPENAI_API_KEY: "sk-stub", OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: "stub-model" };
  return { root, home, project, env, argv: ["qwen", "--approval-mode", "default"] };
}

/** A temp CODEX_HOME + project dir for Codex on the stub's Responses API; commands need approval. */
export function codexHome(baseUrl: string) {
  const root = agentRoot("codex");
  const home = join(root, "home");
  const project = join(root, "project");
  mkdirSync(join(home, ".codex"), { recursive: true });
  mkdirSync(project, { recursive: true });
  const config = [
    'model = "stub-model"',
    'model_provider = "stub"',
    "[model_providers.stub]",
    'name = "stub"',
    `base_url = "${baseUrl}"`,
    'env_key = "STUB_API_KEY"',
    'wire_api = "responses"',
  ];
  writeFileSync(join(home, ".codex", "config.toml"), `${config.join("\n")}\n`);
  const env = { HOME: home, CODEX_HOME: join(home, ".codex"), STUB_API_KEY: "sk-stub" };
  return { root, home, project, env, argv: ["codex", "-a", "on-request", "-s", "read-only"] };
}

/** A temp HOME + project dir for Gemini CLI with an API key on the stub; untrusted unless `trusted`. */
export function geminiHome(baseUrl: string, opts: { trusted?: boolean } = {}) {
  const root = agentRoot("gemini");
  const home = join(root, "home");
  const project = join(root, "project");
  mkdirSync(join(home, ".gemini"), { recursive: true });
  mkdirSync(project, { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" } },
    privacy: { usageStatisticsEnabled: false },
  };
  writeFileSync(join(home, ".gemini", "settings.json"), JSON.stringify(settings));
  if (opts.trusted)
    writeFileSync(join(home, ".gemini", "trustedFolders.json"), JSON.stringify({ [project]: "TRUST_FOLDER" }));
  const env = { HOME: home, GEMINI_API_KEY: "stub-key", GOOGLE_GEMINI_BASE_URL: baseUrl };
  return { root, home, project, env, argv: ["gemini"] };
}
