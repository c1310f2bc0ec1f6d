import { type Bot, GrammyError, HttpError } from "grammy";
import type { Update } from "grammy/types";
import { log } from "../log";
import type { TelegramTimings } from "./deps";
import type { BotContext } from "./locale";
import type { Relay } from "./relay";
import { sleep } from "./sender";
import type { TelegramStore } from "./store";

/** What the settings page shows of the connection to the Bot API. */
export interface BotHealth {
  connected: boolean;
  username: string | null;
  lastPollAt: string | null;
  lastError: string | null;
}

export interface BotCounters {
  sent: number;
  received: number;
}

export interface PollerDeps {
  bot: Bot<BotContext>;
  relay: Relay;
  store: TelegramStore;
  timings: TelegramTimings;
  health: BotHealth;
  counters: BotCounters;
  signal: AbortSignal;
}

const QUIET_WEEK_MS = 6 * 24 * 3600_000;

export const describeError = (e: unknown) =>
  e instanceof GrammyError
    ? `${e.error_code}: ${e.description}`
    : e instanceof HttpError
      ? "network error reaching the Bot API"
      : ((e as Error)?.message ?? String(e));

/** The wait Telegram asks for after a failed getUpdates: 409 (another poller) or 429 (flood). */
function askedDelay(e: unknown): number | undefined {
  if (e instanceof GrammyError && e.error_code === 409) return 30_000;
  if (e instanceof GrammyError && e.error_code === 429) return (e.parameters.retry_after ?? 5) * 1000;
  return undefined;
}

/**
 * Long-polls getUpdates and handles each update once, resuming after the last update id saved for
 * this bot. Ends when `signal` aborts, the bot cannot start, or the token is rejected (401).
 */
export async function pollUpdates(deps: PollerDeps) {
  const { bot, store, health, signal } = deps;
  try {
    await bot.init(signal);
  } catch (e) {
    if (signal.aborted) return;
    health.lastError = describeError(e);
    log.error("telegram bot could not start", { error: health.lastError });
    return;
  }
  health.username = bot.botInfo.username;
  await bot.api.deleteWebhook({ drop_pending_updates: false }, signal).catch(() => {});
  const saved = await loadState(deps);
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
        { offset: last + 1, timeout: deps.timings.pollTimeoutSec, allowed_updates: ["message", "callback_query"] },
        signal,
      );
      failures = 0;
      health.connected = true;
      health.lastPollAt = new Date().toISOString();
      health.lastError = null;
    } catch (e) {
      if (signal.aborted) break;
      health.connected = false;
      health.lastError = describeError(e);
      if (e instanceof GrammyError && e.error_code === 401) {
        log.error("telegram token rejected; bot stopped", {});
        return;
      }
      const wait = askedDelay(e) ?? Math.min(2000 * ++failures, 30_000);
      log.warn("telegram poll failed", { error: health.lastError, waitMs: wait });
      await sleep(wait, signal);
      continue;
    }
    for (const update of updates) {
      if (update.update_id <= last || signal.aborted) continue;
      deps.counters.received++;
      await bot.handleUpdate(update);
      last = update.update_id;
      lastAt = Date.now();
      // Saved after handling: a crash mid-update redelivers it, and input ids make the retyping a no-op.
      await store.saveUpdateId(bot.botInfo.id, last).catch((e) => log.warn("telegram offset not saved", { error: e }));
    }
  }
}

/** The linked sessions and the last update id, retried until the database answers. */
async function loadState({ bot, relay, store, signal }: PollerDeps) {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await relay.load();
      return await store.lastUpdateId(bot.botInfo.id);
    } catch (e) {
      log.warn("telegram state not readable, retrying", { error: e });
      await sleep(Math.min(1000 * attempt, 30_000), signal);
    }
  }
  return null;
}
