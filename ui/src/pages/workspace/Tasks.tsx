import { createResource, createSignal, For, Show } from "solid-js";
import { SessionTabs } from "../../components/SessionTabs";
import { TopBar } from "../../components/TopBar";
import { t } from "../../i18n";
import { api, errorText } from "../../lib/api";
import { navigate } from "../../lib/router";
import { type TaskRun, ws } from "../../lib/workspace-api";

const duration = (ms: number | null) =>
  ms === null
    ? ""
    : ms < 60_000
      ? t("{n} s", { n: Math.round(ms / 1000) })
      : t("{n} min", { n: Math.round(ms / 60_000) });

export function Tasks(props: { id: string }) {
  const [session] = createResource(() => api.session(props.id));
  // Reading a failed resource throws; a session that is gone is said below instead.
  const found = () => (session.error ? undefined : session());
  const [tasks] = createResource(
    () => found()?.cwd,
    (cwd) => ws.tasks(cwd),
  );
  const [runs, { refetch }] = createResource(() => ws.runs());
  const [error, setError] = createSignal<string | null>(null);
  const mine = () => (runs.error ? [] : (runs()?.runs ?? [])).filter((r) => r.cwd === found()?.cwd).reverse();

  const start = async (fn: () => Promise<{ session: { id: string } }>) => {
    setError(null);
    try {
      const { session: s } = await fn();
      await refetch();
      navigate(`/s/${s.id}`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <main class="page workspace-page">
      <TopBar title={t("Tasks")} back="/" />
      <SessionTabs id={props.id} current="tasks" />
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show
        when={!session.error && !tasks.error}
        fallback={<p class="error">{errorText(session.error ?? tasks.error)}</p>}
      >
        <ul class="entry-list" data-testid="task-list">
          <For each={tasks()?.tasks} fallback={<li class="empty">{t("No tasks found in this directory.")}</li>}>
            {(tv) => (
              <li>
                <div class="entry task">
                  <span class="entry-name">
                    {tv.name}
                    <span class="entry-meta">{tv.command}</span>
                  </span>
                  <button
                    type="button"
                    class="primary"
                    aria-label={t("Run {name}", { name: tv.name })}
                    onClick={() => void start(() => ws.runTask(found()?.cwd ?? "", tv.id))}
                  >
                    {t("Run")}
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={mine().length}>
        <h2 class="section-title">{t("Runs")}</h2>
        <ul class="entry-list">
          <For each={mine()}>
            {(r: TaskRun) => (
              <li>
                <div class="entry task">
                  <a class="entry-name" href={`/s/${r.sessionId}`}>
                    {r.name}
                    <span class="entry-meta">
                      {r.status === "exited"
                        ? t("exit {code}", { code: r.exitCode ?? "?" })
                        : r.status === "running"
                          ? t("running")
                          : r.status}{" "}
                      · {duration(r.durationMs)}
                    </span>
                  </a>
                  <button type="button" onClick={() => void start(() => ws.rerun(r.sessionId))}>
                    {t("Run again")}
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </main>
  );
}
