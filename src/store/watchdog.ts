import type { Sql } from "postgres";
import { log } from "../log";
import { clearFault, reportFault } from "../shared/faults";
import { flushKeptWrites } from "./write-queue";

const CHECK_EVERY_MS = 1000;
const CHECK_TIMEOUT_MS = 3000;
const FIRST_RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;

export interface WatchOptions {
  sql: Sql;
  /** Bundled mode: whether the postmaster process still runs, and how to start it again. */
  bundled?: { alive(): boolean; restart(): Promise<void> };
}

/**
 * Checks the database every second. While it cannot be reached the "db" fault is up (health
 * answers 503) and, in bundled mode, a dead postmaster is started again with back-off.
 */
export function watchDatabase(opts: WatchOptions) {
  let down = false;
  let busy = false;
  let restartDelay = FIRST_RESTART_MS;
  let nextRestart = 0;

  const setDown = (reason: string) => {
    if (!down) log.error("database unreachable; reconnecting", { reason });
    down = true;
    reportFault("db", "db", `the database is unreachable (${reason})`);
  };

  const ping = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        opts.sql`SELECT 1`.then(() => {}),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("no answer in time")), CHECK_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      if (opts.bundled && !opts.bundled.alive()) {
        setDown("the bundled Postgres is not running");
        if (Date.now() < nextRestart) return;
        try {
          log.warn("restarting the bundled Postgres");
          await opts.bundled.restart();
          restartDelay = FIRST_RESTART_MS;
        } catch (e) {
          nextRestart = Date.now() + restartDelay;
          restartDelay = Math.min(restartDelay * 2, MAX_RESTART_MS);
          log.warn("the bundled Postgres did not start; retrying", { error: e, retryInMs: nextRestart - Date.now() });
          return;
        }
      }
      await ping();
      if (down) log.info("database reachable again");
      down = false;
      clearFault("db");
      flushKeptWrites();
    } catch (e) {
      setDown((e as Error).message);
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void tick(), CHECK_EVERY_MS);
  timer.unref();
  return {
    up: () => !down,
    stop: () => clearInterval(timer),
  };
}
