import type { HookBus } from "../hooks/bus";
import type { LiveScreens } from "../screen/sessions";

/**
 * Claude Code's usage-limit banners, as subscribers see them: "You've hit your session limit · resets
 * 10:20am (UTC)", "Claude usage limit reached. Your limit will reset at 10am (UTC)", and the older
 * "Claude AI usage limit reached|<epoch>".
 */
const LIMIT =
  /(You've hit your (?:session |usage |weekly |five-hour |5-hour |opus |sonnet )?limit|usage limit reached)[^\n]*?(?:(?:resets?|reset at|will reset at)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?(?:\s*\([^)\n]+\))?)|\|(\d{10}))/gi;

/** The limit messages on a screen, oldest first, with the reset time each names (an hour ahead if none). */
export function findLimits(screen: string, now = new Date()): { message: string; until: Date }[] {
  return [...screen.matchAll(LIMIT)].map((m) => limitOf(m, now));
}

function limitOf(m: RegExpMatchArray, now: Date): { message: string; until: Date } {
  const message = m[0].trim();
  if (m[3]) return { message, until: new Date(Number(m[3]) * 1000) };
  return { message, until: resetTime(m[2] ?? "", now) ?? new Date(now.getTime() + 3600_000) };
}

/** "10:20am (UTC)", "10am", "22:00": the next such time of day in UTC (other zones read as UTC). */
export function resetTime(text: string, now: Date): Date | null {
  const m = /(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(text);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half === "pm" && hour < 12) hour += 12;
  if (half === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  const at = new Date(now);
  at.setUTCHours(hour, minute, 0, 0);
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

/** Watches the screens of sessions running under an account for the limit banner. */
export function watchLimits(deps: {
  hooks: HookBus;
  screens: LiveScreens;
  accountOf: (sessionId: string) => string | undefined;
  onLimit: (sessionId: string, accountId: string, until: Date, message: string) => Promise<void>;
}) {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const seen = new Map<string, Set<string>>();
  const check = async (sessionId: string) => {
    pending.delete(sessionId);
    const accountId = deps.accountOf(sessionId);
    const screen = deps.screens.find(sessionId);
    if (!accountId || !screen) return;
    const { lines } = await screen.snapshot({ settled: true });
    // A conversation resumed under the next account shows the banner again: only a new one counts.
    const known = seen.get(sessionId) ?? new Set<string>();
    seen.set(sessionId, known);
    const hit = findLimits(lines.join("\n")).findLast((h) => !known.has(h.message));
    if (!hit) return;
    known.add(hit.message);
    await deps.onLimit(sessionId, accountId, hit.until, hit.message);
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
