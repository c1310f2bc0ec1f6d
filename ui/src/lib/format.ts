import { t } from "../i18n";
import { type EndState, endedLabel } from "./ended";
import type { Session, SessionStatus } from "./types";

export function since(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return t("just now");
  if (s < 3600) return t("{n}m ago", { n: Math.round(s / 60) });
  if (s < 86_400) return t("{n}h ago", { n: Math.round(s / 3600) });
  return t("{n}d ago", { n: Math.round(s / 86_400) });
}

const rank: Record<SessionStatus, number> = { waiting: 0, running: 1, idle: 2, created: 3, exited: 4 };

/** Sessions that wait for the user first, then the most recently active. */
export function sortSessions(list: Session[]): Session[] {
  const active = (s: Session) => Date.parse(s.lastActiveAt ?? s.startedAt ?? s.createdAt) || 0;
  return [...list].sort((a, b) => rank[a.status] - rank[b.status] || active(b) - active(a));
}

export function statusLabel(s: EndState): string {
  switch (s.status) {
    case "waiting":
      return t("waiting for you");
    case "exited":
      return endedLabel(s);
    case "running":
      return t("running");
    case "idle":
      return t("idle");
    default:
      return t("created");
  }
}

/** A path that fits one line on a phone: home as ~, and the end kept when it is long. */
export function shortPath(p: string, max = 40): string {
  const s = p.replace(/^\/(home|Users)\/[^/]+/, "~");
  if (s.length <= max) return s;
  const tail = s.slice(-max);
  const cut = tail.indexOf("/");
  return `…${cut > 0 && cut < max - 8 ? tail.slice(cut) : tail}`;
}
