import type { HookBus } from "../hooks/bus";
import type { LiveScreens } from "../screen/sessions";

/**
 * Claude Code's usage-limit banners, as subscribers see them: "You've hit your session limit · resets
 * 10:20am (UTC)", "Claude usage limit reached. Your limit will reset at 10am (UTC)", and the older
 * "Claude AI usage limit reached|<epoch>".
 */
const LIMIT =
  /(You've hit your (?:session |usage |weekly |five-hour |5-hour |opus |sonnet )?limit|usage limit reached)[^\n]*?(?:(?:resets?|reset at|will reset at)\s+([0-9][^\n·]*?(?:\([^)\n]+\))?)|\|(\d{10}))/i;

/** The limit message on a screen and the reset time it names (an hour ahead if it names none). */
export function findLimit(screen: string, now = new Date()): { message: string; until: Date } | null {
  const m = LIMIT.exec(screen);
  if (!m) return null;
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
  const check = async (sessionId: string) => {
    pending.delete(sessionId);
    const accountId = deps.accountOf(sessionId);
    const screen = deps.screens.find(sessionId);
    if (!accountId || !screen) return;
    const { lines } = await screen.snapshot({ settled: true });
    const hit = findLimit(lines.join("\n"));
    if (hit) await deps.onLimit(sessionId, accountId, hit.until, hit.message);
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
