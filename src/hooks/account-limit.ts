import { clockIn } from "../accounts/limits";
import type { HookPayloads } from "./bus";

/** "moved from work to personal; work resets 14:48 Europe/Berlin", or what to do when it did not move. */
export function accountLimitText(d: HookPayloads["onAccountLimit"]): string {
  const reset = `${d.from} resets ${clockIn(new Date(d.resetsAt), d.zone ?? "UTC")}`;
  if (d.to) return `moved from ${d.from} to ${d.to}; ${reset}`;
  return d.suggested
    ? `${d.from} hit its usage limit; ${reset}. Switch to ${d.suggested} or wait.`
    : `${d.from} hit its usage limit; ${reset}. No other account is free: wait.`;
}
