import { t, timeOfDay } from "../i18n";
import { request } from "./api";

/** A Claude account as /api/claude-accounts shows it (its token never leaves the server). */
export interface ClaudeAccount {
  id: string;
  name: string;
  displayName: string;
  kind: "token" | "login";
  enabled: boolean;
  tokenFilled: boolean;
  email: string | null;
  plan: string | null;
  limitedUntil: string | null;
  lastUsedAt: string | null;
}

const base = "/api/claude-accounts";
const aid = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const accountsApi = {
  list: () => request<{ accounts: ClaudeAccount[] }>("GET", base).then((r) => r.accounts),
  create: (name: string, token?: string) => request<ClaudeAccount>("POST", base, { name, ...(token ? { token } : {}) }),
  toggle: (id: string) => request<ClaudeAccount>("PATCH", `${aid(id)}/toggle`),
  remove: (id: string) => request<unknown>("DELETE", aid(id)),
  setToken: (id: string, token: string) => request<{ tokenFilled: true }>("PUT", `${aid(id)}/token`, { token }),
  importLocal: () => request<{ imported: number; skipped: number; hint?: string }>("POST", `${base}/import-local`),
  signInStart: (name?: string) =>
    request<{ flowId: string; authorizationUrl: string }>("POST", `${base}/oauth/start`, name ? { name } : {}),
  signInComplete: (flowId: string, code: string) =>
    request<{ accountId: string; name: string }>("POST", `${base}/oauth/${flowId}/complete`, { code }),
  signInCancel: (flowId: string) => request<unknown>("POST", `${base}/oauth/${flowId}/cancel`),
  switchSession: (sessionId: string, accountId: string) =>
    request<{ status: "switched"; resumed: boolean }>(
      "POST",
      `/api/sessions/${encodeURIComponent(sessionId)}/switch-account`,
      { accountId },
    ),
  /** The limit the session's user chose to wait out (null: none), for every device. */
  limitWait: (sessionId: string) =>
    request<LimitWait>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/limit-wait`),
  waitOutLimit: (sessionId: string) =>
    request<LimitWait>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/limit-wait`),
};

export interface LimitWait {
  accountId: string | null;
  until: string | null;
}

/** "limited until 14:48" in the phone's own time, or null when the account is usable. */
export function limitText(a: ClaudeAccount): string | null {
  if (!a.limitedUntil) return null;
  const at = new Date(a.limitedUntil);
  return t("limited until {time}", { time: timeOfDay(at) });
}
