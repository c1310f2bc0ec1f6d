import { Bot, type BotError, GrammyError, HttpError } from "grammy";
import type { Update } from "grammy/types";
import { saveConfigValues } from "../config";
import { AppError, conflict } from "../errors";
import type { HookEvent, HookType } from "../hooks/bus";
import { log } from "../log";
import { accessComposer } from "./access";
import type { Bridge } from "./bridge";
import { chatComposer } from "./chat";
import { commandsComposer } from "./commands";
import { defaultTimings, type TelegramDeps } from "./deps";
import { keyboardComposer } from "./keyboards";
import { Notifier } from "./notifier";
import { Relay } from "./relay";
import { ChatQueue, retryingTransformer, sleep } from "./sender";
import { createTelegramStore, type Link, type ObservedChat } from "./store";

export interface TelegramStatus {
  /** A bot token is configured (the token itself is never returned). */
  tokenSet: boolean;
  tokenSource: "env" | "file" | "unset";
  running: boolean;
  connected: boolean;
  username: string | null;
  lastPollAt: string | null;
  lastError: string | null;
  allowedChats: string[];
  sent: number;
  received: number;
}

export interface TelegramSettingsPatch {
  /** null or "" clears the token (the bot stops). */
  botToken?: string | null;
  allowedChatIds?: string[];
}

export interface Telegram {
  status(): TelegramStatus;
  stop(): Promise<void>;
  configure(patch: TelegramSettingsPatch): Promise<TelegramStatus>;
  sendTest(text?: string): Promise<{ sent: true; chat: string }>;
  links(): Promise<Link[]>;
  unlink(chatId: string): Promise<{ removed: boolean; sessionId: string | null }>;
  recentChats(): Promise<ObservedChat[]>;
}

interface Running {
  closing: AbortController;
  bot: Bot;
  bridge: Bridge;
  relay: Relay;
  notifier: Notifier;
  done: Promise<void>;
  /** The loop gave up (token rejected); the bot stays down until the token changes. */
  ended: boolean;
}

const QUIET_WEEK_MS = 6 * 24 * 3600_000;

const describe = (e: unknown) =>
  e instanceof GrammyError
    ? `${e.error_code}: ${e.description}`
    : e instanceof HttpError
      ? "network error reaching the Bot API"
      : ((e as Error)?.message ?? String(e));

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
  let tokenSource: TelegramStatus["tokenSource"] = token
    ? cfg.sources["telegram.bot_token"] === "env"
      ? "env"
      : "file"
    : "unset";
  const counters = { sent: 0, received: 0 };
  const health = {
    connected: false,
    username: null as string | null,
    lastPollAt: null as string | null,
    lastError: null as string | null,
  };
  let running: Running | null = null;
  let stopped = false;

  const gc = setInterval(() => store.forgetOldMessages().catch(() => {}), 3600_000);
  store.forgetOldMessages().catch(() => {});

  const on =
    <T extends HookType>(fn: (r: Running, e: HookEvent<T>) => void | Promise<void>) =>
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
      "onPromptCleared",
      on((r, e) => r.notifier.onPromptCleared(e)),
    ),
  ];

  function launch(botToken: string): Running {
    const closing = new AbortController();
    const bot = new Bot(botToken, {
      client: { apiRoot: cfg.telegram.apiRoot, timeoutSeconds: timings.pollTimeoutSec + 15 },
    });
    bot.api.config.use(retryingTransformer(closing.signal, counters));
    const bridge: Bridge = {
      api: bot.api,
      store,
      sessions: deps.sessions,
      timings,
      queue: new ChatQueue(),
      closing: closing.signal,
      allowedChats: () => allowed,
      notifyChat: () => allowed[0],
      listed: new Map(),
      noteInput: (sessionId, text) => relay.noteInput(sessionId, text),
      onLinked: () => relay.load(),
    };
    const relay = new Relay(bridge);
    const notifier = new Notifier(bridge, relay);
    bot.use(accessComposer(bridge), keyboardComposer(bridge), commandsComposer(bridge), chatComposer(bridge));
    bot.catch(async (err: BotError) => {
      const e = err.error;
      if (e instanceof GrammyError)
        log.warn("telegram API refused a call", { method: e.method, code: e.error_code, description: e.description });
      else if (e instanceof HttpError) log.warn("telegram network error", { error: e.message });
      else {
        log.error("telegram handler failed", { updateId: err.ctx.update.update_id, error: e });
        const chatId = err.ctx.chat?.id;
        if (chatId && !closing.signal.aborted)
          await bot.api
            .sendMessage(chatId, `⚠ ${e instanceof AppError ? e.message : "Something went wrong; see the server log."}`)
            .catch(() => {});
      }
    });
    const r: Running = { closing, bot, bridge, relay, notifier, done: Promise.resolve(), ended: false };
    r.done = poll(r)
      .catch((e) => log.error("telegram bot loop ended", { error: e }))
      .finally(() => {
        r.ended = true;
        health.connected = false;
      });
    return r;
  }

  async function poll(r: Running) {
    const { bot, closing } = r;
    const signal = closing.signal;
    try {
      await bot.init(signal);
    } catch (e) {
      if (signal.aborted) return;
      health.lastError = describe(e);
      log.error("telegram bot could not start", { error: health.lastError });
      return;
    }
    health.username = bot.botInfo.username;
    await bot.api.deleteWebhook({ drop_pending_updates: false }, signal).catch(() => {});
    let saved: { updateId: number; at: number } | null = null;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await r.relay.load();
        saved = await store.lastUpdateId(bot.botInfo.id);
        break;
      } catch (e) {
        log.warn("telegram state not readable, retrying", { error: e });
        await sleep(Math.min(1000 * attempt, 30_000), signal);
      }
    }
    let last = saved?.updateId ?? 0;
    let lastAt = saved?.at ?? Date.now();
    log.info("telegram bot polling", { username: bot.botInfo.username });
    let failures = 0;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        // After a week without updates Telegram may restart ids lower: an old offset would confirm them unseen.
        if (Date.now() - lastAt > QUIET_WEEK_MS) last = 0;
        updates = await bot.api.getUpdates(
          { offset: last + 1, timeout: timings.pollTimeoutSec, allowed_updates: ["message", "callback_query"] },
          signal,
        );
        failures = 0;
        health.connected = true;
        health.lastPollAt = new Date().toISOString();
        health.lastError = null;
      } catch (e) {
        if (signal.aborted) break;
        health.connected = false;
        health.lastError = describe(e);
        if (e instanceof GrammyError && e.error_code === 401) {
          log.error("telegram token rejected; bot stopped", {});
          return;
        }
        const wait =
          e instanceof GrammyError && e.error_code === 409
            ? 30_000
            : e instanceof GrammyError && e.error_code === 429
              ? (e.parameters.retry_after ?? 5) * 1000
              : Math.min(2000 * ++failures, 30_000);
        log.warn("telegram poll failed", { error: health.lastError, waitMs: wait });
        await sleep(wait, signal);
        continue;
      }
      for (const update of updates) {
        if (update.update_id <= last || signal.aborted) continue;
        counters.received++;
        await bot.handleUpdate(update);
        last = update.update_id;
        lastAt = Date.now();
        // Saved after handling: a crash mid-update redelivers it, and input ids make the retyping a no-op.
        await store
          .saveUpdateId(bot.botInfo.id, last)
          .catch((e) => log.warn("telegram offset not saved", { error: e }));
      }
    }
  }

  async function halt() {
    const r = running;
    running = null;
    health.connected = false;
    if (!r) return;
    r.closing.abort();
    r.relay.stop();
    await r.done;
    await r.bridge.queue.idle();
  }

  function restart() {
    if (stopped) return;
    if (token) running = launch(token);
    else {
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
      const table: Record<string, string | string[]> = {};
      if (patch.botToken !== undefined) {
        if (cfg.sources["telegram.bot_token"] === "env")
          throw conflict("the bot token is set by OPENDRAY_TELEGRAM_BOT_TOKEN; change it there");
        table.bot_token = patch.botToken ?? "";
      }
      if (patch.allowedChatIds !== undefined) {
        if (cfg.sources["telegram.allowed_chat_ids"] === "env")
          throw conflict("the allowed chats are set by OPENDRAY_TELEGRAM_ALLOWED_CHAT_IDS; change them there");
        table.allowed_chat_ids = patch.allowedChatIds;
      }
      if (Object.keys(table).length) saveConfigValues(cfg.configPath, { telegram: table });
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
        await r.bot.api.sendMessage(chat, text || "✅ OpenDray test message", {}, AbortSignal.timeout(15_000));
      } catch (e) {
        throw new AppError("unavailable", `Telegram did not accept the message: ${describe(e)}`);
      }
      return { sent: true, chat };
    },
    links: () => store.links(),
    async unlink(chatId) {
      const sessionId = await store.unlink(chatId);
      if (running && sessionId) await running.relay.refresh(sessionId);
      return { removed: sessionId !== null, sessionId };
    },
    recentChats: () => store.recentChats(),
  };
}
