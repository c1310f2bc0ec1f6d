import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { AgentIcon } from "../components/AgentIcon";
import { PullToRefresh } from "../components/PullToRefresh";
import { SessionPrompt } from "../components/SessionPrompt";
import { StatusBadge } from "../components/StatusBadge";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
import { api, errorText } from "../lib/api";
import { shortPath, since, sortSessions } from "../lib/format";
import { cachedSessions, cacheSessions } from "../lib/storage";
import type { Session } from "../lib/types";

const POLL_MS = 4000;

export function Sessions() {
  const cached = cachedSessions();
  const [sessions, setSessions] = createSignal<Session[] | null>(cached);
  const [stale, setStale] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());

  const load = async () => {
    try {
      const { data: list, offline } = await api.sessionsMeta();
      setSessions(sortSessions(list));
      cacheSessions(list);
      setStale(offline);
      setError(null);
    } catch (err) {
      setStale(true);
      setError(errorText(err));
    }
    setNow(Date.now());
  };

  onMount(() => {
    void load();
    const timer = setInterval(() => document.visibilityState === "visible" && void load(), POLL_MS);
    const onVisible = () => document.visibilityState === "visible" && void load();
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", onVisible);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", onVisible);
    });
  });

  return (
    <main class="page">
      <TopBar title={t("Sessions")}>
        <a class="icon-btn" href="/panels" aria-label={t("Panels")}>
          ▦
        </a>
        <a class="icon-btn" href="/settings" aria-label={t("Settings")}>
          ⚙
        </a>
      </TopBar>
      <PullToRefresh onRefresh={load}>
        <Show
          when={stale() && sessions()}
          fallback={
            <Show when={error()}>
              {(e) => (
                <p class="error" role="alert">
                  {e()}
                </p>
              )}
            </Show>
          }
        >
          <p class="banner" role="status">
            {t("Offline — showing the last known list.")}
          </p>
        </Show>
        <Show when={sessions()} fallback={<p class="empty">{t("Loading…")}</p>}>
          {(list) => (
            <Show
              when={list().length > 0}
              fallback={
                <div class="empty">
                  <p>{t("No sessions yet.")}</p>
                  <a class="primary button" href="/new">
                    {t("Start one")}
                  </a>
                </div>
              }
            >
              <ul class="session-list" data-testid="session-list">
                <For each={list()}>
                  {(s) => (
                    <li>
                      <a class={`session-item status-${s.status}`} href={`/s/${s.id}`} data-session-id={s.id}>
                        <AgentIcon name={s.sessionType} />
                        <div class="session-main">
                          <div class="session-row">
                            <span class="session-name">{s.name || s.sessionType}</span>
                            <StatusBadge session={s} />
                          </div>
                          <div class="session-cwd">{shortPath(s.cwd)}</div>
                          <Show when={s.lastLine && s.status !== "waiting"}>
                            <div class="session-last">{s.lastLine}</div>
                          </Show>
                        </div>
                        <time class="session-time">{since(s.lastActiveAt ?? s.startedAt ?? s.createdAt, now())}</time>
                      </a>
                      <Show when={s.status === "waiting"}>
                        <SessionPrompt sessionId={s.id} onAnswered={() => void load()} />
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </PullToRefresh>
      <a class="fab" href="/new" aria-label={t("New session")}>
        +
      </a>
    </main>
  );
}
