import { createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { errorText } from "../lib/api";
import { DEFAULT_ORDER, KEYS, type KeyId } from "../lib/keybar-keys";

/** Shows, hides and reorders the key bar's keys; saved on the server for every device. */
export function KeyBarEditor(props: { order: KeyId[]; onSave: (order: KeyId[]) => Promise<void> }) {
  const [order, setOrder] = createSignal<KeyId[]>([...props.order]);
  const [error, setError] = createSignal<string | null>(null);
  const hidden = () => KEYS.filter((k) => !order().includes(k.id));
  const label = (id: KeyId) => {
    const k = KEYS.find((x) => x.id === id);
    return k?.aria ?? k?.label ?? id;
  };
  const move = (i: number, by: number) => {
    const next = [...order()];
    const j = i + by;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j] as KeyId, next[i] as KeyId];
    setOrder(next);
  };
  const save = async () => {
    setError(null);
    try {
      await props.onSave(order());
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <div class="keybar-editor">
      <ol class="keybar-order">
        <For each={order()}>
          {(id, i) => (
            <li data-key={id}>
              <span>{label(id)}</span>
              <button type="button" aria-label={t("Move {key} left", { key: label(id) })} onClick={() => move(i(), -1)}>
                ↑
              </button>
              <button type="button" aria-label={t("Move {key} right", { key: label(id) })} onClick={() => move(i(), 1)}>
                ↓
              </button>
              <button
                type="button"
                aria-label={t("Hide {key}", { key: label(id) })}
                disabled={order().length === 1}
                onClick={() => setOrder(order().filter((k) => k !== id))}
              >
                ✕
              </button>
            </li>
          )}
        </For>
      </ol>
      <Show when={hidden().length}>
        <p class="muted">{t("Hidden keys")}</p>
        <div class="keybar-hidden">
          <For each={hidden()}>
            {(k) => (
              <button
                type="button"
                aria-label={t("Show {key}", { key: k.aria ?? k.label })}
                onClick={() => setOrder([...order(), k.id])}
              >
                + {k.label}
              </button>
            )}
          </For>
        </div>
      </Show>
      <div class="row-actions">
        <button type="button" onClick={() => setOrder([...DEFAULT_ORDER])}>
          {t("Default")}
        </button>
        <button type="button" class="primary" onClick={save}>
          {t("Save keys")}
        </button>
      </div>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
    </div>
  );
}
