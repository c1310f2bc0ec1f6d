import { clockIn } from "../accounts/limits";
import type { HookPayloads } from "../hooks/bus";
import type { Translator } from ".";

/** "4 s", "1 min 23 s": how long a session or task ran. */
export function duration(tr: Translator, ms: number): string {
  if (ms < 60_000) return tr.t("{s} s", { s: Math.max(0, Math.round(ms / 1000)) });
  return tr.t("{min} min {s} s", { min: Math.floor(ms / 60_000), s: Math.round((ms % 60_000) / 1000) });
}

/**
 * "moved from work to personal; work resets 14:48 Europe/Berlin", or what to do when it did not move
 * (the one copy of these sentences: push and Telegram pass their reader's translator, `english` for English).
 */
export function accountLimitNotice(tr: Translator, d: HookPayloads["onAccountLimit"]): string {
  const reset = tr.t("{account} resets {time}", {
    account: d.from,
    time: clockIn(new Date(d.resetsAt), d.zone ?? "UTC"),
  });
  if (d.to) return tr.t("moved from {from} to {to}; {reset}", { from: d.from, to: d.to, reset });
  return d.suggested
    ? tr.t("{account} hit its usage limit; {reset}. Switch to {other} or wait.", {
        account: d.from,
        reset,
        other: d.suggested,
      })
    : tr.t("{account} hit its usage limit; {reset}. No other account is free: wait.", { account: d.from, reset });
}
