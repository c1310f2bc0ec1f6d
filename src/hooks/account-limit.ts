import type { HookPayloads } from "./bus";
/** "moved from work to personal; work resets 14:48 UTC", or what to do when it did not move. */
export function accountLimitText(d: HookPayloads["onAccountLimit"]): string {
  const at = new Date(d.resetsAt);
  const reset = `${d.from} resets ${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")} UTC`;
  if (d.to) return `moved from ${d.from} to ${d.to}; ${reset}`;
  return d.suggested
    ? `${d.from} hit its usage limit; ${reset}. Switch to ${d.suggested} or wait.`
    : `${d.from} hit its usage limit; ${reset}. No other account is free: wait.`;
}
