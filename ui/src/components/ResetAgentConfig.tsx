import { t } from "../i18n";
import "../pages/forms.css";
import { createSignal, For, Show } from "solid-js";
import { api, errorText } from "../lib/api";
import type { Provider } from "../lib/types";

/** The launch options an agent stores (secrets stay: they belong to Settings). */
export const launchKeys = (p: Provider) => p.configSchema.filter((o) => o.type !== "secret").map((o) => o.key);

/** Puts an agent's saved launch options back to their defaults, even for an agent shown as not installed. */
export function ResetAgentConfig(props: { providers: Provider[]; selected: string; onReset: () => void }) {
  const [name, setName] = createSignal(props.selected);
  const [note, setNote] = createSignal<{ ok: boolean; text: string } | null>(null);
  const resettable = () => props.providers.filter((p) => launchKeys(p).length > 0);
  const reset = async () => {
    const p = resettable().find((x) => x.name === name()) ?? resettable()[0];
    if (!p) return;
    try {
      await api.saveProviderConfig(p.name, Object.fromEntries(launchKeys(p).map((k) => [k, null])));
      setNote({ ok: true, text: t("{agent} is back to its default options.", { agent: p.displayName || p.name }) });
      props.onReset();
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    }
  };
  return (
    <Show when={resettable().length > 0}>
      <div class="reset-agent">
        <label>
          {t("Reset an agent's options to defaults")}
          <select value={name()} onChange={(e) => setName(e.currentTarget.value)}>
            <For each={resettable()}>{(p) => <option value={p.name}>{p.displayName || p.name}</option>}</For>
          </select>
        </label>
        <button type="button" class="link" onClick={reset}>
          {t("Reset to defaults")}
        </button>
        <Show when={note()}>{(n) => <p class={n().ok ? "ok" : "error"}>{n().text}</p>}</Show>
      </div>
    </Show>
  );
}
