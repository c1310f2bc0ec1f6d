import { For, Show } from "solid-js";
import { t } from "../i18n";

/** One row of an env or header map; `stored` rows hold a value on the server that is never read back. */
export interface Pair {
  key: string;
  value: string;
  stored: boolean;
}

/**
 * Environment variables or headers as name/value rows. Values are write-only: a stored one shows
 * as "set", is kept while its field stays blank and replaced when something is typed in it.
 */
export function SecretPairs(props: {
  label: string;
  keyLabel: string;
  keyPlaceholder: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  error?: string;
}) {
  const edit = (i: number, patch: Partial<Pair>) =>
    props.onChange(props.pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset class="pairs">
      <legend>{props.label}</legend>
      <For each={props.pairs}>
        {(p, i) => (
          <div class="pair" data-pair={p.key}>
            <input
              aria-label={`${props.keyLabel} ${i() + 1}`}
              placeholder={props.keyPlaceholder}
              autocapitalize="none"
              autocomplete="off"
              spellcheck={false}
              value={p.key}
              readOnly={p.stored}
              onInput={(e) => edit(i(), { key: e.currentTarget.value })}
            />
            <input
              aria-label={t("{name} value", { name: p.key || props.keyLabel })}
              type="password"
              autocomplete="off"
              placeholder={p.stored ? t("stored — leave blank to keep") : t("value")}
              value={p.value}
              onInput={(e) => edit(i(), { value: e.currentTarget.value })}
            />
            <button
              type="button"
              class="icon-btn"
              aria-label={p.key ? t("Remove {name}", { name: p.key }) : t("Remove row")}
              onClick={() => props.onChange(props.pairs.filter((_, j) => j !== i()))}
            >
              ×
            </button>
            <Show when={p.stored && !p.value}>
              {/* a phone cuts the placeholder short: the same advice under the row */}
              <span class="pair-kept">
                <span class="badge set">{t("set")}</span>
                <span class="hint">{t("kept unless you type a new value")}</span>
              </span>
            </Show>
          </div>
        )}
      </For>
      <button
        type="button"
        class="link"
        onClick={() => props.onChange([...props.pairs, { key: "", value: "", stored: false }])}
      >
        {t("+ Add {what}", { what: props.keyLabel.toLowerCase() })}
      </button>
      <Show when={props.error}>
        <p class="field-error" role="alert">
          {props.error}
        </p>
      </Show>
    </fieldset>
  );
}

/** Whether the rows differ from the names stored on the server. */
export function pairsChanged(pairs: Pair[], stored: string[]) {
  const kept = pairs.filter((p) => p.stored);
  return pairs.some((p) => !p.stored || p.value) || kept.length !== stored.length;
}

/**
 * The map an edit sends: a stored row left blank as `{ keep: true }`, a typed value as itself; a removed
 * row is left out (the server drops it). A new row with a name but no value is the issue.
 */
export function pairsMap(pairs: Pair[]): { value: Record<string, string | { keep: true }> } | { empty: string } {
  const rows = pairs.filter((p) => p.key.trim());
  const empty = rows.find((p) => !p.stored && !p.value);
  if (empty) return { empty: empty.key.trim() };
  return {
    value: Object.fromEntries(
      rows.map((p) => [p.key.trim(), p.stored && !p.value ? { keep: true as const } : p.value]),
    ),
  };
}
