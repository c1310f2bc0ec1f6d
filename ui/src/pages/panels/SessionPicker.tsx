import { createEffect, createResource, For, Show } from "solid-js";
import { t } from "../../i18n";
import { api } from "../../lib/api";

/** Picks the session whose directory a panel reads (its repository, its .env); the newest first. */
export function SessionPicker(props: { value: string; onChange: (id: string) => void; label?: string }) {
  const [sessions] = createResource(() => api.sessions());
  const sorted = () =>
    [...(sessions() ?? [])].sort((a, b) =>
      String(b.lastActiveAt ?? b.createdAt).localeCompare(String(a.lastActiveAt ?? a.createdAt)),
    );
  createEffect(() => {
    const first = sorted()[0];
    if (!props.value && first) props.onChange(first.id);
  });
  return (
    <label class="field panel-field">
      <span>{props.label ?? t("Session")}</span>
      <Show when={sorted().length} fallback={<span class="hint">{t("No sessions yet")}</span>}>
        <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <For each={sorted()}>{(s) => <option value={s.id}>{s.name || s.sessionType}</option>}</For>
        </select>
      </Show>
    </label>
  );
}
