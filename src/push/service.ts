import type { Agent } from "node:https";
import type { Sql } from "postgres";
import webpush from "web-push";
import type { HookBus, HookEvent, HookPayloads } from "../hooks/bus";
import {
  accountLimitNotice,
  duration,
  english,
  type Locale,
  noticeLocale,
  storedLocale,
  type Translator,
  translator,
} from "../i18n";
import { log } from "../log";
import { deliver } from "./deliver";
import type { PushPayload, SessionEvent, Subscription } from "./model";
import { pushStore, type VapidKeys } from "./store";

export interface PushSessions {
  /** Name and last line of a session, for the notification text; rejects when it does not exist. */
  get(id: string): Promise<{
    name: string;
    sessionType: string;
    lastLine: string;
    exitCode: number | null;
    startedAt?: string | null;
    exitedAt?: string | null;
  }>;
}

export interface PushDeps {
  sql: Sql;
  sessions?: PushSessions;
  /** "mailto:" or https URL the push services may contact about this server. */
  subject?: string;
  /** Minimum gap between two notifications of the same kind for one session. */
  cooldownMs?: number;
  /** HTTPS agent for the push services (a proxy, or a test's self-signed endpoint). */
  agent?: Agent;
}

function titleFor(tr: Translator, event: SessionEvent, name: string): string {
  switch (event.kind) {
    case "account":
      return event.moved === false
        ? tr.t("{name} hit a Claude usage limit", { name })
        : tr.t("{name} changed Claude account", { name });
    case "message":
      return tr.t("{name} says", { name });
    case "waiting":
      return tr.t("{name} is waiting for you", { name });
    case "idle":
      return tr.t("{name} is idle", { name });
    default: {
      const code = event.exitCode ?? null;
      const ran = typeof event.durationMs === "number" ? duration(tr, event.durationMs) : null;
      if (code === null)
        return ran === null ? tr.t("{name} exited", { name }) : tr.t("{name} exited after {ran}", { name, ran });
      return ran === null
        ? tr.t("{name} exited with code {code}", { name, code })
        : tr.t("{name} exited with code {code} after {ran}", { name, code, ran });
    }
  }
}

/** The notification for `event`, in the language `tr` speaks (the session's name and texts stay as they are). */
export function payloadFor(event: SessionEvent, tr: Translator = english): PushPayload {
  const name = event.sessionName || tr.t("A session");
  const title = titleFor(tr, event, name);
  const detail = event.limit ? accountLimitNotice(tr, event.limit) : (event.detail ?? "");
  return {
    title,
    body: detail.slice(0, 300),
    sessionId: event.sessionId,
    url: `/s/${event.sessionId}`,
    kind: event.kind,
    ...(event.kind === "waiting" && event.prompt
      ? {
          promptId: event.prompt.id,
          actions: event.prompt.options.slice(0, 2).map((o) => ({ action: o.key, title: o.label || o.key })),
        }
      : {}),
  };
}

/** VAPID keys, browser subscriptions and delivery of session notifications. */
export class PushService {
  private keys: Promise<VapidKeys> | null = null;
  private lastSent = new Map<string, number>();
  private readonly store: ReturnType<typeof pushStore>;

  constructor(private readonly deps: PushDeps) {
    this.store = pushStore(deps.sql);
  }

  /** The key pair is generated once and kept in the database. */
  vapidKeys(): Promise<VapidKeys> {
    this.keys ??= (async () => {
      const stored = await this.store.vapid();
      if (stored) return stored;
      await this.store.saveVapid(webpush.generateVAPIDKeys());
      return (await this.store.vapid()) as VapidKeys;
    })().catch((e) => {
      this.keys = null;
      throw e;
    });
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapidKeys()).publicKey;
  }

  subscribe(sub: Subscription, userAgent?: string | null) {
    return this.store.subscribe(sub, userAgent ?? null);
  }

  unsubscribe(endpoint: string) {
    return this.store.remove(endpoint);
  }

  count(): Promise<number> {
    return this.store.count();
  }

  /** Sends the event to every subscribed browser; returns how many accepted it. */
  async notify(event: SessionEvent): Promise<number> {
    const key = `${event.sessionId}:${event.kind}`;
    const now = Date.now();
    // An agent's own message (notify_user) is never held back: it is rare and it is the point.
    if (event.kind !== "message" && now - (this.lastSent.get(key) ?? 0) < (this.deps.cooldownMs ?? 30_000)) return 0;
    this.lastSent.set(key, now);

    const subs = await this.store.subscriptions();
    if (!subs.length) return 0;
    const keys = await this.vapidKeys();
    // One person uses the server: every browser gets the language they chose in Settings; without a
    // choice, each gets the language its browser sent when it subscribed (as the web UI follows it), else English.
    // A notice still goes out when the database cannot say the choice.
    const chosen = await storedLocale(this.deps.sql).catch(() => null);
    const payloads = new Map<Locale, string>();
    const payloadIn = (locale: Locale) => {
      const made = payloads.get(locale) ?? JSON.stringify(payloadFor(event, translator(locale)));
      payloads.set(locale, made);
      return made;
    };
    const options = {
      vapidDetails: {
        subject: this.deps.subject ?? "mailto:opendray@localhost",
        publicKey: keys.publicKey,
        privateKey: keys.privateKey,
      },
      TTL: 3600,
      urgency: event.kind === "waiting" ? ("high" as const) : ("normal" as const),
      topic: event.sessionId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32),
      ...(this.deps.agent ? { agent: this.deps.agent } : {}),
    };
    let delivered = 0;
    await Promise.all(
      subs.map(async (s) => {
        let status: number | undefined;
        try {
          const sub = { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } };
          const payload = payloadIn(noticeLocale(chosen, s.language));
          status = await deliver(webpush.generateRequestDetails(sub, payload, options));
          if (status >= 200 && status < 300) {
            delivered++;
            await this.store.delivered(s.endpoint);
            return;
          }
          if (status === 404 || status === 410) {
            await this.store.remove(s.endpoint);
            log.info("push subscription expired; removed", { status });
            return;
          }
          throw new Error(`the push service answered ${status}`);
        } catch (e) {
          await this.store.failed(s.endpoint);
          log.warn("push delivery failed", { status, error: (e as Error).message });
        }
      }),
    );
    return delivered;
  }

  /** Notifies on onPrompt (waiting), onIdle and onSessionStop; returns the unsubscribe function. */
  listen(hooks: HookBus): () => void {
    const handle =
      <T extends "onPrompt" | "onIdle" | "onSessionStop">(
        kind: SessionEvent["kind"],
        facts: (data: HookPayloads[T]) => {
          detail?: string;
          exitCode?: number | null;
          prompt?: SessionEvent["prompt"];
        },
      ) =>
      async (e: HookEvent<T>) => {
        const { detail, exitCode, prompt } = facts(e.data);
        const session = await this.deps.sessions?.get(e.sessionId).catch(() => null);
        await this.notify({
          kind,
          sessionId: e.sessionId,
          sessionName: session?.name || session?.sessionType,
          detail: kind === "waiting" ? detail : (detail ?? session?.lastLine),
          exitCode: exitCode ?? session?.exitCode ?? null,
          durationMs:
            kind === "exited" && session?.startedAt && session.exitedAt
              ? Date.parse(session.exitedAt) - Date.parse(session.startedAt)
              : null,
          prompt,
        }).catch((err) => log.warn("push notify failed", { error: (err as Error).message }));
      };
    const offs = [
      hooks.on("onAccountLimit", async (e) => {
        const session = await this.deps.sessions?.get(e.sessionId).catch(() => null);
        await this.notify({
          kind: "account",
          moved: e.data.to !== null,
          sessionId: e.sessionId,
          sessionName: session?.name || session?.sessionType,
          limit: e.data,
        }).catch((err) => log.warn("push notify failed", { error: (err as Error).message }));
      }),
      hooks.on(
        "onPrompt",
        handle("waiting", (prompt) => ({
          detail: prompt.question,
          // a multi-select question needs the app: one tap cannot pick several options
          prompt: prompt.multi ? undefined : { id: prompt.id, options: prompt.options },
        })),
      ),
      hooks.on(
        "onIdle",
        handle("idle", (idle) => ({ detail: idle.lastLine })),
      ),
      hooks.on(
        "onSessionStop",
        handle("exited", (stop) => ({ exitCode: stop.exitCode })),
      ),
    ];
    return () => {
      for (const off of offs) off();
    };
  }
}
