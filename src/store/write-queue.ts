import { log } from "../log";
import { isDbUnavailable } from "./unavailable";

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;
const queues = new Set<WriteQueue>();

/** Called when the database is reachable again: every queue replays what it kept at once. */
export function flushKeptWrites() {
  for (const q of queues) if (q.size) void q.flush();
}

/**
 * Writes that must not be lost while the database is down (session status, cursor, exit): run at
 * once when it is up; otherwise kept in order and retried with back-off until they land.
 */
export class WriteQueue {
  private readonly pending: { what: string; run: () => Promise<unknown> }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay = FIRST_RETRY_MS;
  private flushing: Promise<void> | undefined;

  constructor() {
    queues.add(this);
  }

  get size() {
    return this.pending.length;
  }

  async write(what: string, run: () => Promise<unknown>): Promise<void> {
    if (this.pending.length) {
      this.pending.push({ what, run });
      return;
    }
    try {
      await run();
    } catch (e) {
      if (!isDbUnavailable(e)) throw e;
      log.warn("database unavailable; the write is kept and retried", { what });
      this.pending.push({ what, run });
      this.schedule();
    }
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
  }

  /** Replays kept writes in order; stops at the first that still cannot reach the database. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain() {
    while (this.pending.length) {
      const next = this.pending[0];
      if (!next) break;
      try {
        await next.run();
      } catch (e) {
        if (isDbUnavailable(e)) return this.schedule();
        log.error("a kept write failed on replay and is dropped", { what: next.what, error: e });
      }
      this.pending.shift();
    }
    if (this.delay > FIRST_RETRY_MS) log.info("kept writes saved to the database");
    this.delay = FIRST_RETRY_MS;
  }
}
