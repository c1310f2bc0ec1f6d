import { AppError } from "../errors";

/** Failures allowed before back-off starts. */
export const FREE_FAILURES = 5;
const BASE_MS = 1000;
const MAX_MS = 15 * 60_000;
/** A key with no failure for this long starts over. */
const FORGET_MS = 60 * 60_000;
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  last: number;
  until: number;
}

/**
 * Back-off for credential guesses, keyed by client IP and by username: after FREE_FAILURES failures
 * each further failure doubles the wait (1 s, 2 s, 4 s … 15 min). Independent of RATE_LIMIT_*.
 */
export class LoginThrottle {
  private entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before another attempt under any of `keys`, 0 when allowed. */
  retryAfter(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (e && e.until > now) wait = Math.max(wait, e.until - now);
    }
    return Math.ceil(wait / 1000);
  }

  /** Throws 429 (with `retryAfter` seconds) while any key is backing off. */
  check(keys: string[]) {
    const seconds = this.retryAfter(keys);
    if (seconds > 0)
      throw new AppError("rate_limited", `too many failed attempts; try again in ${seconds} s`, undefined, {
        retryAfter: seconds,
      });
  }

  /** Records a failure; returns the highest failure count among `keys`. */
  fail(keys: string[]): number {
    const now = this.now();
    if (this.entries.size > MAX_KEYS) this.prune(now);
    let most = 0;
    for (const key of keys) {
      const old = this.entries.get(key);
      const e = old && now - old.last < FORGET_MS ? old : { failures: 0, last: now, until: 0 };
      e.failures++;
      e.last = now;
      if (e.failures >= FREE_FAILURES) e.until = now + Math.min(MAX_MS, BASE_MS * 2 ** (e.failures - FREE_FAILURES));
      this.entries.set(key, e);
      most = Math.max(most, e.failures);
    }
    return most;
  }

  succeed(keys: string[]) {
    for (const key of keys) this.entries.delete(key);
  }

  private prune(now: number) {
    for (const [key, e] of this.entries) if (e.until <= now && now - e.last >= FORGET_MS) this.entries.delete(key);
    if (this.entries.size <= MAX_KEYS) return;
    // Still full of live keys: forget the stalest half rather than everything, so a flood of new IPs
    // cannot wipe the back-off of the username it targets.
    const stalest = [...this.entries].sort((a, b) => a[1].last - b[1].last).slice(0, this.entries.size - MAX_KEYS / 2);
    for (const [key] of stalest) this.entries.delete(key);
  }
}
