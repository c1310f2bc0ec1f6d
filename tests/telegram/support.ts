import { afterAll, beforeAll } from "bun:test";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, ensureHomeDirs, loadConfig } from "../../src/config";
import { HookBus } from "../../src/hooks/bus";
import type { SessionView } from "../../src/sessions/model";
import { openStore, type Store } from "../../src/store";
import {
  type Prompt,
  startTelegram,
  type Telegram,
  type TelegramSessions,
  type TelegramTimings,
} from "../../src/telegram";
import { removePgCluster, startServer, type TestServer } from "../harness";
import { BotApiStub, type StubUser } from "../stubs/bot-api";

/** A real Postgres in a temp OPENDRAY_HOME, migrated. */
export async function startDatabase(): Promise<{ store: Store; config: Config; home: string }> {
  const home = mkdtempSync(join(tmpdir(), "opendray-tg-"));
  const config = loadConfig({ env: { OPENDRAY_HOME: home, HOME: home } });
  ensureHomeDirs(config);
  return { store: await openStore(config), config, home };
}

interface PtySession {
  view: SessionView;
  proc: ReturnType<typeof Bun.spawn>;
  chunks: Uint8Array[];
  size: number;
  idleTimer?: ReturnType<typeof setTimeout>;
  inputs: Set<string>;
  prompt: Prompt | null;
}

/**
 * A small real session service for the bridge tests: bash in real PTYs, a byte cursor over all
 * output, hooks (onOutput, onIdle after `idleMs` of quiet, onSessionStop), input ids applied once.
 */
export class PtySessions implements TelegramSessions {
  readonly sessions = new Map<string, PtySession>();
  readonly answers: { id: string; promptId: string; keys: string[] }[] = [];

  constructor(
    private hooks: HookBus,
    private idleMs = 400,
  ) {}

  async create(name: string, sessionType = "terminal", cwd = tmpdir()): Promise<SessionView> {
    const id = randomUUID();
    const now = new Date().toISOString();
    const view: SessionView = {
      id,
      name,
      sessionType,
      cwd,
      model: null,
      extraArgs: [],
      envOverrides: {},
      status: "running",
      exitCode: null,
      exitReason: null,
      pid: null,
      cols: 100,
      rows: 30,
      cursor: 0,
      resumeId: null,
      lastLine: "",
      createdAt: now,
      startedAt: now,
      exitedAt: null,
      lastActiveAt: now,
    };
    const s: PtySession = { view, chunks: [], size: 0, inputs: new Set(), prompt: null } as unknown as PtySession;
    s.proc = Bun.spawn(["bash", "--norc", "--noprofile", "-i"], {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, TERM: "xterm-256color", PS1: "$ ", LANG: "C.UTF-8" },
      terminal: {
        cols: 100,
        rows: 30,
        data: (_t, d) => {
          const bytes = new Uint8Array(d);
          s.chunks.push(bytes);
          s.size += bytes.length;
          view.cursor = s.size;
          view.status = "running";
          this.hooks.emit("onOutput", id, { bytes, cursor: s.size });
          clearTimeout(s.idleTimer);
          s.idleTimer = setTimeout(() => {
            if (view.status === "exited") return;
            view.status = "idle";
            this.hooks.emit("onIdle", id, { lastLine: "" });
          }, this.idleMs);
        },
      },
    });
    view.pid = s.proc.pid;
    s.proc.exited.then((code) => {
      clearTimeout(s.idleTimer);
      view.status = "exited";
      view.exitCode = code;
      view.exitedAt = new Date().toISOString();
      this.hooks.emit("onSessionStop", id, { exitCode: code });
    });
    this.sessions.set(id, s);
    await new Promise((r) => setTimeout(r, 0));
    return view;
  }

  private s(id: string) {
    const s = this.sessions.get(id);
    if (!s) throw new Error("session not found");
    return s;
  }

  async list() {
    return [...this.sessions.values()].map((s) => ({ ...s.view }));
  }
  async get(id: string) {
    return { ...this.s(id).view };
  }
  async input(id: string, data: string, inputId?: string) {
    const s = this.s(id);
    if (s.view.status === "exited") throw new Error("session is not running");
    if (inputId) {
      if (s.inputs.has(inputId)) return;
      s.inputs.add(inputId);
    }
    s.proc.terminal?.write(data);
  }
  async stop(id: string) {
    const s = this.s(id);
    s.proc.kill("SIGHUP"); // an interactive bash ignores SIGTERM
    await s.proc.exited;
  }
  readBuffer(id: string, since?: number) {
    const s = this.s(id);
    const all = new Uint8Array(s.size);
    let o = 0;
    for (const c of s.chunks) {
      all.set(c, o);
      o += c.length;
    }
    const from = Math.min(since ?? 0, s.size);
    return { from, cursor: s.size, bytes: all.subarray(from) };
  }
  /** Output so far as text. */
  text(id: string) {
    return new TextDecoder().decode(this.readBuffer(id).bytes);
  }
  async prompt(id: string) {
    return this.s(id).prompt;
  }
  /** Opens a structured prompt the way the prompts feature would (the hook fires). */
  openPrompt(id: string, prompt: Omit<Prompt, "sessionId" | "detectedAt" | "id">): Prompt {
    const p: Prompt = { ...prompt, id: randomUUID(), sessionId: id, detectedAt: new Date().toISOString() };
    this.s(id).prompt = p;
    this.hooks.emit("onPrompt", id, p);
    return p;
  }
  clearPrompt(id: string) {
    const open = this.s(id).prompt;
    this.s(id).prompt = null;
    this.hooks.emit("onPromptCleared", id, { id: open?.id ?? "" });
  }
  async answerPrompt(id: string, promptId: string, keys: string[]) {
    const s = this.s(id);
    if (s.prompt?.id !== promptId) throw new Error("prompt is gone");
    this.answers.push({ id, promptId, keys });
    s.prompt = null;
    s.proc.terminal?.write(`echo answered-${keys.join("-")}\r`);
  }
  async closeAll() {
    for (const s of this.sessions.values()) {
      if (s.view.status !== "exited") {
        s.proc.kill("SIGKILL");
        await s.proc.exited;
      }
    }
  }
}

export const CHAT = 4242;
export const OTHER_CHAT = 5151;
export const TOKEN = "123456:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz";

/** The env that points a real server's bot at the Bot API stub `api`, with CHAT allowed. */
export function botServerEnv(api: BotApiStub): Record<string, string> {
  return {
    OPENDRAY_TELEGRAM_BOT_TOKEN: TOKEN,
    OPENDRAY_TELEGRAM_API_ROOT: api.url,
    OPENDRAY_TELEGRAM_ALLOWED_CHAT_IDS: String(CHAT),
  };
}

/**
 * The real server with its bot pointed at a fresh Bot API stub, for the describe (or file) it is called
 * in: started before its tests, stopped after them. `ask` waits for the bot's reply to a chat's text.
 */
export function useBotServer() {
  const bot = {
    api: undefined as unknown as BotApiStub,
    server: undefined as unknown as TestServer,
    ask(text: string, chat: number = CHAT, from?: Partial<StubUser>) {
      const { messageId } = bot.api.userSays(TOKEN, chat, text, { from });
      return bot.api.waitForMessage(chat, (m) => m.replyTo === messageId, { timeoutMs: 20_000 });
    },
  };
  beforeAll(async () => {
    bot.api = new BotApiStub().start();
    bot.api.addBot(TOKEN);
    bot.server = await startServer({ env: botServerEnv(bot.api) });
  });
  afterAll(async () => {
    await bot.server?.stop();
    await bot.api?.stop();
  });
  return bot;
}

export interface BridgeFixture {
  api: BotApiStub;
  hooks: HookBus;
  sessions: PtySessions;
  telegram: Telegram;
  db: Awaited<ReturnType<typeof startDatabase>>;
  /** Restarts the bridge over the same database and Bot API (a server restart, from the bridge's view). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startBridge(
  opts: { timings?: Partial<TelegramTimings>; allowed?: string[]; withToken?: boolean } = {},
): Promise<BridgeFixture> {
  const db = await startDatabase();
  const api = new BotApiStub().start();
  api.addBot(TOKEN);
  const hooks = new HookBus();
  const sessions = new PtySessions(hooks);
  const make = () =>
    startTelegram({
      sql: db.store.sql,
      hooks,
      sessions,
      config: {
        configPath: db.config.configPath,
        sources: db.config.sources,
        telegram: {
          botToken: opts.withToken === false ? undefined : TOKEN,
          apiRoot: api.url,
          allowedChatIds: opts.allowed ?? [String(CHAT)],
        },
      },
      timings: { batchMs: 300, cooldownMs: 0, pollTimeoutSec: 10, enterDelayMs: 30, ...opts.timings },
    });
  const fixture: BridgeFixture = {
    api,
    hooks,
    sessions,
    telegram: make(),
    db,
    async restart() {
      await fixture.telegram.stop();
      fixture.telegram = make();
    },
    async close() {
      await fixture.telegram.stop();
      await sessions.closeAll();
      await api.stop();
      await db.store.close();
      removePgCluster(db.home);
      rmSync(db.home, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** The user says `text`; the bot's answer to it (a reply to that message) comes back. */
export async function ask(f: BridgeFixture, text: string, chat = CHAT, opts: { replyTo?: number } = {}) {
  const { messageId } = f.api.userSays(TOKEN, chat, text, opts);
  return f.api.waitForMessage(chat, (m) => m.replyTo === messageId);
}
