import { Bot, type BotError, GrammyError, HttpError } from "grammy";
import { AppError } from "../errors";
import { english, type Locale } from "../i18n";
import { log } from "../log";
import { accessComposer } from "./access";
import type { Bridge } from "./bridge";
import { chatComposer } from "./chat";
import { commandsComposer } from "./commands";
import type { TelegramSessions, TelegramTimings } from "./deps";
import { keyboardComposer } from "./keyboards";
import { type BotContext, chatLanguages, localeMiddleware } from "./locale";
import { Notifier } from "./notifier";
import { type BotCounters, type BotHealth, pollUpdates } from "./poller";
import { Relay } from "./relay";
import { ChatQueue, retryingTransformer } from "./sender";
import type { TelegramStore } from "./store";

/** One bot token's bot, from launch until it is halted or its poll loop gives up. */
export interface RunningBot {
  closing: AbortController;
  bot: Bot<BotContext>;
  bridge: Bridge;
  relay: Relay;
  notifier: Notifier;
  done: Promise<void>;
  /** The loop gave up (token rejected); the bot stays down until the token changes. */
  ended: boolean;
}

export interface LaunchDeps {
  store: TelegramStore;
  sessions: TelegramSessions;
  timings: TelegramTimings;
  apiRoot?: string;
  /** The allowlist as it is now (it changes while the bot runs). */
  allowedChats(): string[];
  /** The language the OpenDray user chose in the web UI, or null. */
  storedLocale(): Promise<Locale | null>;
  health: BotHealth;
  counters: BotCounters;
}

/** Builds the bot, its relay, bridge and notifier, and starts polling in the background. */
export function launchBot(token: string, deps: LaunchDeps): RunningBot {
  const { store, sessions, timings, health } = deps;
  const closing = new AbortController();
  const bot = new Bot<BotContext>(token, {
    client: { apiRoot: deps.apiRoot, timeoutSeconds: timings.pollTimeoutSec + 15 },
  });
  bot.api.config.use(retryingTransformer(closing.signal, deps.counters));
  const queue = new ChatQueue();
  const languageOf = chatLanguages({ stored: deps.storedLocale, allowedChats: deps.allowedChats, kept: store });
  const translator = (chatId: string) => languageOf(chatId);
  const relay = new Relay({ api: bot.api, store, sessions, timings, queue, translator });
  const bridge: Bridge = {
    api: bot.api,
    store,
    sessions,
    timings,
    queue,
    closing: closing.signal,
    allowedChats: deps.allowedChats,
    notifyChat: () => deps.allowedChats()[0],
    listed: new Map(),
    noteInput: (sessionId, text) => relay.noteInput(sessionId, text),
    onLinked: () => relay.load(),
    translator,
  };
  const notifier = new Notifier(bridge, relay);
  bot.use(
    localeMiddleware(languageOf),
    accessComposer(bridge),
    keyboardComposer(bridge),
    commandsComposer(bridge),
    chatComposer(bridge),
  );
  bot.catch((err) => reportHandlerError(bot, closing.signal, err));
  const running: RunningBot = { closing, bot, bridge, relay, notifier, done: Promise.resolve(), ended: false };
  running.done = pollUpdates({ bot, relay, store, timings, health, counters: deps.counters, signal: closing.signal })
    .catch((e) => log.error("telegram bot loop ended", { error: e }))
    .finally(() => {
      running.ended = true;
      health.connected = false;
    });
  return running;
}

/** Stops polling and the relay's timers, and waits for what is being sent to go out. */
export async function haltBot(running: RunningBot) {
  running.closing.abort();
  running.relay.stop();
  await running.done;
  await running.bridge.queue.idle();
}

/** API refusals and network errors are logged; a failing handler also tells the chat. */
async function reportHandlerError(bot: Bot<BotContext>, closing: AbortSignal, err: BotError<BotContext>) {
  const e = err.error;
  if (e instanceof GrammyError)
    log.warn("telegram API refused a call", { method: e.method, code: e.error_code, description: e.description });
  else if (e instanceof HttpError) log.warn("telegram network error", { error: e.message });
  else {
    log.error("telegram handler failed", { updateId: err.ctx.update.update_id, error: e });
    const chatId = err.ctx.chat?.id;
    if (chatId && !closing.aborted)
      await bot.api
        .sendMessage(
          chatId,
          `⚠ ${e instanceof AppError ? e.message : (err.ctx.tr ?? english).t("Something went wrong; see the server log.")}`,
        )
        .catch(() => {});
  }
}
