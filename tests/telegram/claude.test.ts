import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { HookBus } from "../../src/hooks/bus";
import { builtinPromptRules, PromptTracker } from "../../src/prompts";
import { ScreenModel } from "../../src/screen";
import type { SessionView } from "../../src/sessions/model";
import { startTelegram, type Telegram, type TelegramSessions } from "../../src/telegram";
import { removePgCluster } from "../harness";
import { claudeHome } from "../prompts/agent-pty";
import { BotApiStub } from "../stubs/bot-api";
import { type AnthropicModelStub, startAnthropicModel } from "../stubs/model-anthropic";
import { CHAT, startDatabase, TOKEN } from "./support";

/** Claude Code in a PTY: its output kept as a byte stream (the session buffer) and fed to a screen model. */
class ClaudePty {
  readonly screen = new ScreenModel(120, 40, 1000);
  readonly raw: Uint8Array[] = [];
  private readonly proc: Bun.Subprocess;
  private cursor = 0;
  constructor(argv: string[], cwd: string, env: Record<string, string>) {
    this.proc = Bun.spawn(argv, {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", LANG: "C.UTF-8", ...env },
      terminal: {
        cols: 120,
        rows: 40,
        data: (_t, bytes) => {
          // Copies: `bytes` is a Buffer, whose slice() is a view the screen worker's transfer would detach.
          this.raw.push(new Uint8Array(bytes));
          this.cursor += bytes.length;
          this.screen.write(new Uint8Array(bytes), this.cursor);
        },
      },
    });
  }
  write(keys: string) {
    this.proc.terminal?.write(keys);
  }
  async lines() {
    return (await this.screen.snapshot({ settled: true })).lines;
  }
  async stop() {
    this.proc.kill("SIGKILL");
    await this.proc.exited;
    this.screen.dispose();
  }
}

// Real Claude Code offline against the local model stub; the prompts feature's tracker reads its
// screen; the bridge turns the permission dialog into a keyboard and a tap answers it.
let db: Awaited<ReturnType<typeof startDatabase>>;
let api: BotApiStub;
let model: AnthropicModelStub;
let agent: ClaudePty;
let tracker: PromptTracker;
let telegram: Telegram;
let project = "";
const ID = "7d0c3f4e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

beforeAll(async () => {
  db = await startDatabase();
  api = new BotApiStub().start();
  api.addBot(TOKEN);
  model = startAnthropicModel(({ toolResults }) =>
    toolResults === 0
      ? {
          tool: { name: "Write", input: { file_path: join(project, "notes.txt"), content: "written from telegram\n" } },
        }
      : { text: "Created notes.txt." },
  );
  const home = claudeHome(model.url, { trusted: true });
  project = home.project;
  const hooks = new HookBus();
  agent = new ClaudePty(["claude", "create notes.txt"], project, home.env);
  tracker = new PromptTracker({
    sessionId: ID,
    agent: "claude",
    rules: builtinPromptRules.claude,
    screen: agent.screen,
    write: (k) => agent.write(k),
  });
  tracker.onPrompt((p) => hooks.emit("onPrompt", ID, p));
  tracker.onCleared((id) => hooks.emit("onPromptCleared", ID, { id }));
  agent.screen.onParsed((cursor) => hooks.emit("onOutput", ID, { cursor, bytes: new Uint8Array() }));
  const now = new Date().toISOString();
  const view = (): SessionView => ({
    id: ID,
    name: "claude-live",
    sessionType: "claude",
    cwd: project,
    model: null,
    extraArgs: [],
    envOverrides: {},
    status: "running",
    exitCode: null,
    exitReason: null,
    pid: null,
    cols: 120,
    rows: 40,
    cursor: agent.raw.reduce((n, c) => n + c.length, 0),
    resumeId: null,
    lastLine: "",
    createdAt: now,
    startedAt: now,
    exitedAt: null,
    lastActiveAt: now,
  });
  const sessions: TelegramSessions = {
    list: async () => [view()],
    get: async (id) => {
      if (id !== ID) throw new Error("not found");
      return view();
    },
    input: async (_id, data) => agent.write(data),
    stop: async () => agent.stop(),
    readBuffer: (_id, since = 0) => {
      const all = Buffer.concat(agent.raw);
      return { from: Math.min(since, all.length), cursor: all.length, bytes: new Uint8Array(all.subarray(since)) };
    },
    screen: async () => ({ lines: await agent.lines() }),
    prompt: async () => tracker.current(),
    answerPrompt: async (_id, promptId, keys) => tracker.answer(promptId, keys),
  };
  telegram = startTelegram({
    sql: db.store.sql,
    hooks,
    sessions,
    config: {
      configPath: db.config.configPath,
      sources: db.config.sources,
      telegram: { botToken: TOKEN, apiRoot: api.url, allowedChatIds: [String(CHAT)] },
    },
  });
});

afterAll(async () => {
  await telegram?.stop();
  tracker?.dispose();
  await agent?.stop();
  model?.stop();
  await api?.stop();
  await db?.store.close();
  if (db) {
    removePgCluster(db.home);
    rmSync(db.home, { recursive: true, force: true });
  }
});

test("Claude Code's permission prompt arrives as an inline keyboard; tapping Yes writes the file", async () => {
  const { messageId } = api.userSays(TOKEN, CHAT, "/link claude-live");
  await api.waitForMessage(CHAT, (m) => m.replyTo === messageId);
  const msg = await api.waitForMessage(
    CHAT,
    (m) => (m.text?.includes("Do you want to create notes.txt?") ?? false) && m.keyboard !== undefined,
    { timeoutMs: 45_000 },
  );
  expect(msg.text).toContain("claude-live (claude) asks");
  const buttons = (msg.keyboard ?? []).flat();
  expect(buttons[0]?.text).toBe("1. Yes");
  expect(buttons.at(-1)?.text).toBe("📺 Screen");
  expect(existsSync(join(project, "notes.txt"))).toBe(false);

  api.userTaps(TOKEN, CHAT, msg.messageId, "o:0");
  const edited = await api.waitUntil(
    () => api.botMessages(CHAT).find((m) => m.messageId === msg.messageId && m.text?.includes("✅ Chosen: Yes")),
    10_000,
  );
  expect(edited.keyboard?.flat().map((b) => b.text)).toEqual(["📺 Screen"]);
  await api.waitUntil(() => existsSync(join(project, "notes.txt")), 20_000);
  expect(readFileSync(join(project, "notes.txt"), "utf8")).toBe("written from telegram\n");
  // The linked chat gets Claude's reply from its screen, once.
  await api.waitForMessage(CHAT, (m) => m.text?.includes("Created notes.txt.") ?? false, { timeoutMs: 20_000 });
  expect(api.botMessages(CHAT).filter((m) => m.text?.includes("Created notes.txt.")).length).toBe(1);
}, 90_000);
