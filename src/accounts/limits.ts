import type { HookBus } from "../hooks/bus";
import type { LiveScreens } from "../screen/sessions";
import type { SessionStream } from "../sessions/stream";
import { screenTextAt } from "./replay";

/**
 * Claude Code's usage-limit banners, as subscribers see them. At 2.1.x the CLI prints "You've hit your
 * session limit · resets 2:48pm (Europe/Berlin)" (the reset in the CLI's own time zone, a date first
 * when it is more than a day away: "resets Dec 3, 2pm (UTC)", with the year when that differs); older
 * versions said "Claude usage limit reached. Your limit will reset at 10am (UTC)" or
 * "Claude AI usage limit reached|<epoch>".
 */
const LIMIT =
  /(You've hit your [\w -]{0,24}?limit|usage limit reached)[^\n]*?(?:(?:resets?|reset at|will reset at)\s+((?:[A-Z][a-z]{2} \d{1,2}, (?:\d{4}, )?)?\d{1,2}(?::\d{2})?\s*(?:am|pm)?(?:\s*\([^)\n]+\))?)|\|(\d{10}))/gi;

export interface LimitHit {
  message: string;
  until: Date;
  /** The time zone the banner named ("Europe/Berlin"), UTC when it named none or one we do not know. */
  zone: string;
}

/** The limit messages on a screen, oldest first, with the reset time each names (an hour ahead if none). */
export function findLimits(screen: string, now = new Date()): LimitHit[] {
  return [...screen.matchAll(LIMIT)].map((m) => limitOf(m, now));
}

function limitOf(m: RegExpMatchArray, now: Date): LimitHit {
  const message = m[0].trim();
  if (m[3]) return { message, until: new Date(Number(m[3]) * 1000), zone: "UTC" };
  const zone = zoneOf(m[2] ?? "");
  return { message, until: resetTime(m[2] ?? "", now) ?? new Date(now.getTime() + 3600_000), zone };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** The IANA zone in "2pm (Europe/Berlin)", if the runtime knows it; UTC otherwise. */
function zoneOf(text: string): string {
  const name = /\(([^)]+)\)/.exec(text)?.[1]?.trim();
  if (!name) return "UTC";
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

/** The wall clock of `at` in `zone`, as the fields of a UTC date. */
function wallClock(at: number, zone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month") - 1,
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** How far `zone` is ahead of UTC at the instant `at`, in ms. */
function offsetAt(at: number, zone: string) {
  const w = wallClock(at, zone);
  return Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `zone` names. In the hour a DST change skips, the time after the
 * change; in the hour it repeats, the earlier one.
 */
export function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, zone: string): Date {
  const wall = Date.UTC(y, mo, d, h, mi);
  const candidates = [offsetAt(wall - 86_400_000, zone), offsetAt(wall + 86_400_000, zone)]
    .map((off) => wall - off)
    .filter((t) => {
      const w = wallClock(t, zone);
      return Date.UTC(w.year, w.month, w.day, w.hour, w.minute) === wall;
    })
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return new Date(candidates[0]);
  // a skipped time: the offset before the change carries it past the gap
  return new Date(wall - offsetAt(wall - 86_400_000, zone));
}

/**
 * "10:20am (UTC)", "10pm (Europe/Berlin)", "Dec 3, 2pm (America/New_York)", "22:00": the instant it
 * names, read in the zone it names (UTC when none): the next such time of day when no date is given.
 */
export function resetTime(text: string, now: Date): Date | null {
  const m = /(?:([A-Z][a-z]{2}) (\d{1,2}), (?:(\d{4}), )?)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(text);
  if (!m) return null;
  const zone = zoneOf(text);
  let hour = Number(m[4]);
  const minute = Number(m[5] ?? 0);
  const half = m[6]?.toLowerCase();
  if (half === "pm" && hour < 12) hour += 12;
  if (half === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  const today = wallClock(now.getTime(), zone);
  if (m[1]) {
    const month = MONTHS.indexOf(m[1].toLowerCase());
    const day = Number(m[2]);
    if (month < 0 || day < 1 || day > 31) return null;
    if (m[3]) return zonedInstant(Number(m[3]), month, day, hour, minute, zone);
    const at = zonedInstant(today.year, month, day, hour, minute, zone);
    // "Jan 2" seen on Dec 30 is next year's
    return at.getTime() < now.getTime() - 86_400_000
      ? zonedInstant(today.year + 1, month, day, hour, minute, zone)
      : at;
  }
  const at = zonedInstant(today.year, today.month, today.day, hour, minute, zone);
  if (at.getTime() > now.getTime()) return at;
  const tomorrow = new Date(Date.UTC(today.year, today.month, today.day + 1));
  return zonedInstant(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), hour, minute, zone);
}

/** "14:48 Europe/Berlin": a reset time as the user's own clock reads it. */
export function clockIn(at: Date, zone: string): string {
  const w = wallClock(at.getTime(), zone);
  return `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")} ${zone}`;
}

/** Watches the screens of sessions running under an account for the limit banner. */
export function watchLimits(deps: {
  hooks: HookBus;
  screens: LiveScreens;
  accountOf: (sessionId: string) => string | undefined;
  onLimit: (sessionId: string, accountId: string, hit: LimitHit) => Promise<void>;
  /**
   * Sessions that ran before this server started (re-attached from the PTY host): the banners their
   * screens showed at the restart were handled (or belong to an account they have since left), so only
   * a new one counts, even one that arrives while the PTY host is still replaying the screen.
   */
  reattached?: Iterable<string>;
  /** A re-attached session's output and the PTY host's cursor at the restart. */
  adopted?: (sessionId: string) => { stream: SessionStream; until: number } | undefined;
}) {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const seen = new Map<string, Set<string>>();
  const knownOf = (sessionId: string) => {
    const known = seen.get(sessionId) ?? new Set<string>();
    seen.set(sessionId, known);
    return known;
  };
  /** Re-attached sessions: the banners of the screen as it stood at the restart, read once. */
  const history = new Map<string, Promise<void>>();
  const remember = (id: string, text: string) => {
    for (const h of findLimits(text)) knownOf(id).add(h.message);
  };
  for (const id of deps.reattached ?? []) {
    const adopted = deps.adopted?.(id);
    const screen = deps.screens.find(id);
    if (!screen) continue;
    // without the restart's cursor, what the screen shows now is the best history there is
    const now = async () => remember(id, (await screen.snapshot({ settled: true })).lines.join("\n"));
    const { cols, rows } = screen.size;
    history.set(
      id,
      (adopted
        ? screenTextAt(adopted.stream, adopted.until, cols, rows).then((text) => remember(id, text))
        : now()
      ).catch(() => now().catch(() => {})),
    );
  }
  const check = async (sessionId: string) => {
    await history.get(sessionId);
    pending.delete(sessionId);
    const accountId = deps.accountOf(sessionId);
    const screen = deps.screens.find(sessionId);
    if (!accountId || !screen) return;
    const { lines } = await screen.snapshot({ settled: true });
    // A conversation resumed under the next account shows the banner again: only a new one counts.
    const known = knownOf(sessionId);
    const hit = findLimits(lines.join("\n")).findLast((h) => !known.has(h.message));
    if (!hit) return;
    known.add(hit.message);
    await deps.onLimit(sessionId, accountId, hit);
  };
  const off = deps.hooks.on("onOutput", (e) => {
    if (pending.has(e.sessionId) || !deps.accountOf(e.sessionId)) return;
    pending.set(
      e.sessionId,
      setTimeout(() => void check(e.sessionId), 400),
    );
  });
  return () => {
    off();
    for (const t of pending.values()) clearTimeout(t);
  };
}
