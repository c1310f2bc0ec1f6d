import { createSignal } from "solid-js";
import { msg, pluginText, t } from "../i18n";
import { navigate } from "./router";
import type { CreateSession, Health, Prompt, Provider, ProviderEntry, Session, SessionDiff } from "./types";

const TOKEN_KEY = "opendray.token";

const [token, setTokenSignal] = createSignal<string | null>(localStorage.getItem(TOKEN_KEY));
/** A message for the login page, set when the server rejected our token. */
const [loginNotice, setLoginNotice] = createSignal<string | null>(null);

export { loginNotice, setLoginNotice, token };

export function setToken(value: string | null) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
  setTokenSignal(value);
  syncWorkerToken(value);
}

/** The service worker answers notification actions with the login token; it cannot read localStorage. */
export function syncWorkerToken(value: string | null) {
  if (typeof caches === "undefined") return;
  void caches
    .open("opendray-data")
    .then(async (c) => {
      if (value) await c.put("/__opendray/token", new Response(value));
      else await c.delete("/__opendray/token");
    })
    .catch(() => {});
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Fields whose key says little to a user, by the label the form shows. */
const FIELD_LABELS: Record<string, string> = { cwd: msg("working directory"), extraArgs: msg("extra arguments") };

/** "newPassword" or "body.allowed_chat_ids.0" → "new password", "allowed chat ids". */
const fieldName = (path: string) => {
  const key =
    path
      .split(".")
      .filter((p) => !/^\d+$/.test(p) && p !== "body")
      .pop() ?? path;
  return (
    (FIELD_LABELS[key] && t(FIELD_LABELS[key])) ??
    key
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .replace(/_/g, " ")
      .toLowerCase()
  );
};

const sentence = (text: string) => {
  const t = text.trim();
  return t ? `${t[0]?.toUpperCase()}${t.slice(1)}${/[.!?…]$/.test(t) ? "" : "."}` : t;
};

/** A sentence for the user: field problems by name ("New password: at least 8 characters."), never raw schema paths. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.issues.length)
      return [...new Set(err.issues.map((i) => sentence(`${fieldName(i.path)}: ${i.message}`)))].join(" ");
    return sentence(err.message);
  }
  if (err instanceof TypeError) return t("Cannot reach the server. Check your connection.");
  return sentence(err instanceof Error ? err.message : String(err));
}

/** The page to come back to after signing in: a same-origin path only. */
export function loginPath(): string {
  const here = location.pathname + location.search;
  return here === "/" || here.startsWith("/login") ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}

export function expireSession(message = t("Your login expired. Please log in again.")) {
  setToken(null);
  setLoginNotice(message);
  navigate(loginPath(), { replace: true });
}

/** `auth: false` sends no token; `expire: false` keeps the user logged in on a 401 (a wrong current password). */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: boolean; expire?: boolean } = {},
): Promise<T> {
  return (await requestMeta<T>(method, path, body, opts)).data;
}

/** Also says whether the service worker answered from its offline copy. */
async function requestMeta<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: boolean; expire?: boolean } = {},
): Promise<{ data: T; offline: boolean }> {
  const headers: Record<string, string> = { accept: "application/json" };
  const t = token();
  if (t && opts.auth !== false) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    // Every API error is {"error":{code,message,issues?}}; anything else came from a proxy in between.
    const e = (data as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } })
      ?.error;
    const err = e
      ? new ApiError(res.status, e.code, e.message, e.issues)
      : new ApiError(res.status, "error", `${res.status} ${res.statusText}`);
    if (res.status === 401 && opts.auth !== false && opts.expire !== false && t) expireSession();
    throw err;
  }
  return { data: data as T, offline: res.headers.get("x-opendray-offline") === "1" };
}

/** Resolves to null on a 404 (a session that is not running has no screen or prompt, an unset feature no status). */
async function optional<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

const sid = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export const api = {
  authStatus: () =>
    request<{ authRequired: boolean; adminConfigured?: boolean }>("GET", "/api/auth/status", undefined, {
      auth: false,
    }),
  login: (username: string, password: string) =>
    request<{ token: string }>("POST", "/api/auth/login", { username, password }, { auth: false }),
  oneTime: (code: string) => request<{ token: string }>("POST", "/api/auth/one-time", { code }, { auth: false }),
  changeCredentials: (body: { currentPassword?: string; newUsername?: string; newPassword: string }) =>
    request<{ token: string; username: string }>("POST", "/api/auth/change-credentials", body, { expire: false }),
  health: () => request<Health>("GET", "/api/health", undefined, { auth: false }),

  sessions: () => request<Session[]>("GET", "/api/sessions"),
  sessionsMeta: () => requestMeta<Session[]>("GET", "/api/sessions"),
  session: (id: string) => request<Session>("GET", sid(id)),
  createSession: (body: CreateSession) => request<Session>("POST", "/api/sessions", body),
  deleteSession: (id: string) => request<unknown>("DELETE", sid(id)),
  start: (id: string) => request<unknown>("POST", `${sid(id)}/start`),
  stop: (id: string) => request<unknown>("POST", `${sid(id)}/stop`),
  resize: (id: string, cols: number, rows: number) => request<unknown>("POST", `${sid(id)}/resize`, { cols, rows }),
  diff: (id: string) => request<SessionDiff>("GET", `${sid(id)}/diff`),
  search: (id: string, q: string) =>
    optional(
      request<{ q: string; hits: { line: number; text: string }[] }>(
        "GET",
        `${sid(id)}/search?q=${encodeURIComponent(q)}`,
      ),
    ),

  screenAnsi: (id: string, scrollback: number) =>
    optional(
      request<{ data: string; cols: number; rows: number; byteCursor: number }>(
        "GET",
        `${sid(id)}/screen?format=ansi&scrollback=${scrollback}`,
      ),
    ),
  /** Raw output bytes [from, to) of a session, from its log on disk (a range a lagging screen skipped). */
  outputRange: async (id: string, from: number, to: number): Promise<Blob> => {
    const t = token();
    const res = await fetch(`${sid(id)}/buffer?since=${from}&until=${to}`, {
      headers: t ? { authorization: `Bearer ${t}` } : {},
    });
    if (!res.ok) throw new ApiError(res.status, "error", `${res.status} ${res.statusText}`);
    return res.blob();
  },
  /** A link that downloads the session's whole output as a file. */
  transcriptUrl: (id: string) => {
    const t = token();
    return `${sid(id)}/transcript${t ? `?token=${encodeURIComponent(t)}` : ""}`;
  },
  providers: async (): Promise<Provider[] | null> => {
    const list = await optional(request<ProviderEntry[]>("GET", "/api/providers?kind=agent"));
    return list?.map(toProvider) ?? null;
  },
  saveProviderConfig: (name: string, values: Record<string, string | boolean | null>) =>
    request<unknown>("PUT", `/api/providers/${encodeURIComponent(name)}/config`, { values }),
  prompt: (id: string) => optional(request<Prompt | null>("GET", `${sid(id)}/prompt`)),
  answerPrompt: (id: string, promptId: string, keys: string[]) =>
    request<unknown>("POST", `${sid(id)}/prompt/answer`, { promptId, keys }),

  telegramStatus: () => optional(request<Record<string, unknown>>("GET", "/api/telegram/status")),
  pushKey: () => optional(request<{ publicKey: string }>("GET", "/api/push/vapid-public-key")),
  pushSubscribe: (sub: PushSubscriptionJSON & { language?: string }) =>
    request<unknown>("POST", "/api/push/subscribe", sub),
  pushUnsubscribe: (endpoint: string) => request<unknown>("POST", "/api/push/unsubscribe", { endpoint }),
};

function toProvider(e: ProviderEntry): Provider {
  const m = e.provider;
  return {
    name: e.name,
    // A getter: read in the page, it follows a change of language.
    get displayName() {
      return pluginText(m, "displayName") ?? e.name;
    },
    icon: m.icon,
    kind: m.kind,
    installed: e.installed !== false,
    enabled: e.enabled,
    installHint: m.cliSpec?.install,
    models: m.models ?? [],
    capabilities: m.capabilities,
    configSchema: m.configSchema ?? [],
    config: e.config ?? {},
    notice: e.notice ?? null,
  };
}

export function wsUrl(path: string, params: Record<string, string | number | undefined>): string {
  const url = new URL(path, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const t = token();
  if (t) url.searchParams.set("token", t);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
