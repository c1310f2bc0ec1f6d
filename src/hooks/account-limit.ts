import { accountLimitNotice, english } from "../i18n";
import type { HookPayloads } from "./bus";

/** "moved from work to personal; work resets 14:48 Europe/Berlin" in English, for the logs and the UI. */
export function accountLimitText(d: HookPayloads["onAccountLimit"]): string {
  return accountLimitNotice(english, d);
}
