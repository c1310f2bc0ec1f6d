import { For, Match, Switch } from "solid-js";
import { t } from "../i18n";
import type { ConfigOption } from "../lib/types";

/** One agent option from the provider's manifest (approval mode, bypass permissions…). */
export function ConfigField(props: { option: ConfigOption; value: unknown; onChange: (v: unknown) => void }) {
  const options = () =>
    (props.option.options ?? []).map((o) =>
      typeof o === "string"
        ? { value: o, label: o || t("Default") }
        : { value: o.value, label: o.label ?? (o.value || t("Default")) },
    );
  return (
    <Switch
      fallback={
        <label>
          {props.option.label}
          <input
            value={String(props.value ?? "")}
            placeholder={props.option.placeholder ?? ""}
            autocapitalize="none"
            spellcheck={false}
            onInput={(e) => props.onChange(e.currentTarget.value)}
          />
        </label>
      }
    >
      <Match when={props.option.type === "boolean" || props.option.type === "bool"}>
        <label class="toggle" title={props.option.description}>
          <input
            type="checkbox"
            checked={props.value === true || props.value === "true"}
            onChange={(e) => props.onChange(e.currentTarget.checked)}
          />
          {props.option.label}
        </label>
      </Match>
      <Match when={props.option.type === "select" || options().length > 0}>
        <label>
          {props.option.label}
          <select value={String(props.value ?? "")} onChange={(e) => props.onChange(e.currentTarget.value)}>
            <For each={options()}>{(o) => <option value={o.value}>{o.label}</option>}</For>
          </select>
        </label>
      </Match>
      <Match when={props.option.type === "number"}>
        <label>
          {props.option.label}
          <input
            type="number"
            inputmode="numeric"
            value={String(props.value ?? "")}
            onInput={(e) => props.onChange(e.currentTarget.valueAsNumber)}
          />
        </label>
      </Match>
    </Switch>
  );
}
