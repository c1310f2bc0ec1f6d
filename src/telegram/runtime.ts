import { AppError } from "../errors";
import type { HookEvent, HookType } from "../hooks/bus";
import { storedLocale } from "../i18n";
import { defaultTimings, type TelegramDeps } from "./deps";
import { haltBot, launchBot, type RunningBot } from "./lifecycle";
import { type BotHealth, describeError } from "./poller";
import { saveTelegramSettings, type TelegramSettingsPatch, type TokenSource, tokenSourceOf } from "./settings";
import { createTelegramStore, type Link, type ObservedChat } from "./store";

export type { TelegramSettingsPatch } from "./settings";

export interface TelegramStatus {
  /** A bot token is configured (the token itself is never returned). */
  tokenSet: boolean;
  tokenSource: TokenSource;
  running: boolean;
  connected: boolean;
  username: string | null;
  lastPollAt: string | null;
  lastError: string | null;
  allowedChats: string[];
  sent: number;
  received: number;
}

export interface Telegram {
  status(): TelegramStatus;
  stop(): Promise<void>;
  configure(patch: TelegramSettingsPatch): Promise<TelegramStatus>;
  sendTest(text?: string): Promise<{ sent: true; chat: string }>;
  /** Sends an agent's message about a session to its chats; 0 when the bot is not running. */
  notify?(sessionId: string, text: string): Promise<number>;
  links(): Promise<Link[]>;
  unlink(chatId: string): Promise<{ removed: boolean; sessionId: string | null }>;
  recentChats(): Promise<ObservedChat[]>;
}

/**
 * Starts the bridge (in the background; it never blocks or fails server startup) and returns its handle.
 * The bot runs while a token is set; with no allowed chats it still answers /whoami.
 */
export function startTelegram(deps: TelegramDeps): Telegram {
  const timings = { ...defaultTimings, ...deps.timings };
  const store = createTelegramStore(deps.sql);
  const cfg = deps.config;
  let token = cfg.telegram.botToken || undefined;
  let allowed = [...cfg.telegram.allowedChatIds];
  let tokenSource = tokenSourceOf(cfg, token);
  const counters = { sent: 0, received: 0 };
  const health: BotHealth = { connected: false, username: null, lastPollAt: null, lastError: null };
  let running: RunningBot | null = null;
  let stopped = false;

  const gc = setInterval(() => store.forgetOldMessages().catch(() => {}), 3600_000);
  store.forgetOldMessages().catch(() => {});

  const on =
    <T extends HookType>(fn: (r: RunningBot, e: HookEvent<T>) => void | Promise<void>) =>
    (e: HookEvent<T>) => {
      const r = running;
      if (r && !r.closing.signal.aborted) return fn(r, e);
    };
  const unsubscribe = [
    // On the PTY hot path: a map lookup and at most one timer per batch window.
    deps.hooks.on(
      "onOutput",
      on((r, e) => r.relay.onOutput(e.sessionId)),
    ),
    deps.hooks.on(
      "onIdle",
      on((r, e) => r.notifier.onIdle(e)),
    ),
    deps.hooks.on(
      "onSessionStop",
      on((r, e) => r.notifier.onStop(e)),
    ),
    deps.hooks.on(
      "onPrompt",
      on((r, e) => r.notifier.onPrompt(e)),
    ),
    deps.hooks.on(
      "onAccountLimit",
      on((r, e) => r.notifier.onAccountLimit(e)),
    ),
    deps.hooks.on(
      "onPromptCleared",
      on((r, e) => r.notifier.onPromptCleared(e)),
    ),
  ];

  async function halt() {
    const r = running;
    running = null;
    health.connected = false;
    if (r) await haltBot(r);
  }

  function restart() {
    if (stopped) return;
    if (token) {
      const launch = {
        store,
        sessions: deps.sessions,
        timings,
        apiRoot: cfg.telegram.apiRoot,
        health,
        counters,
        storedLocale: () => storedLocale(deps.sql),
      };
      running = launchBot(token, { ...launch, allowedChats: () => allowed });
    } else {
      health.username = null;
      health.lastError = null;
    }
  }

  restart();

  const status = (): TelegramStatus => ({
    tokenSet: Boolean(token),
    tokenSource,
    running: running !== null && !running.ended,
    connected: running !== null && health.connected,
    username: running ? health.username : null,
    lastPollAt: health.lastPollAt,
    lastError: health.lastError,
    allowedChats: [...allowed],
    ...counters,
  });

  return {
    status,
    async stop() {
      stopped = true;
      clearInterval(gc);
      for (const off of unsubscribe) off();
      await halt();
    },
    async configure(patch) {
      saveTelegramSettings(cfg, patch);
      if (patch.allowedChatIds !== undefined) allowed = [...new Set(patch.allowedChatIds)];
      if (patch.botToken !== undefined) {
        token = patch.botToken || undefined;
        tokenSource = token ? "file" : "unset";
        health.lastError = null;
        await halt();
        restart();
      }
      return status();
    },
    async sendTest(text) {
      const r = running;
      if (!r) throw new AppError("bad_request", "Telegram is not configured: set a bot token first");
      const chat = r.bridge.notifyChat();
      if (!chat)
        throw new AppError(
          "bad_request",
          "no allowed chat to send to: add a chat id to the allowlist (/whoami in the chat shows it)",
        );
      try {
        const tr = await r.bridge.translator(chat);
        await r.bot.api.sendMessage(chat, text || tr.t("✅ OpenDray test message"), {}, AbortSignal.timeout(15_000));
      } catch (e) {
        throw new AppError("unavailable", `Telegram did not accept the message: ${describeError(e)}`);
      }
      return { sent: true, chat };
    },
    notify: async (sessionId, text) => (running ? running.notifier.message(sessionId, text) : 0),
    links: () => store.links(),
    async unlink(chatId) {
      const sessionId = await store.unlink(chatId);
      if (running && sessionId) await running.relay.refresh(sessionId);
      return { removed: sessionId !== null, sessionId };
    },
    recentChats: () => store.recentChats(),
  };
}
