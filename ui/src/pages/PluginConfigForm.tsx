import { createSignal, For, Match, Show, Switch } from "solid-js";
import { t } from "../i18n";
import { ApiError, errorText } from "../lib/api";
import { type PluginField, type PluginInfo, type PluginValue, pluginsApi, SECRET_SET } from "../lib/plugins-api";

/** 422 issues by config key ("values.repo" → repo); null when the error is not about fields. */
function issuesByKey(err: unknown): Record<string, string> | null {
  if (!(err instanceof ApiError) || !err.issues.length) return null;
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const key = i.path.replace(/^(body\.)?values\./, "");
    out[key] ??= i.message;
  }
  return out;
}

const startValue = (f: PluginField, v: PluginValue | undefined): string | boolean =>
  f.type === "boolean" ? v === true || v === "true" : f.type === "secret" ? "" : String(v ?? f.default ?? "");

/** A plugin's settings, one input per field of its manifest's configSchema; secrets are write-only. */
export function PluginConfigForm(props: {
  plugin: PluginInfo;
  onSaved: (config: Record<string, PluginValue>) => void;
}) {
  const fields = () => props.plugin.provider.configSchema ?? [];
  const initial = () => Object.fromEntries(fields().map((f) => [f.key, startValue(f, props.plugin.config[f.key])]));
  const [values, setValues] = createSignal<Record<string, string | boolean>>(initial());
  const [issues, setIssues] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const set = (key: string, value: string | boolean) => {
    setValues((v) => ({ ...v, [key]: value }));
    setSaved(null);
  };
  // A field that depends on another shows only while that one has the value it needs.
  const shown = (f: PluginField) =>
    f.dependsOn === undefined || String(values()[f.dependsOn] ?? "") === String(f.dependsVal ?? "");
  const id = (f: PluginField) => `plugin-${props.plugin.name}-${f.key}`;

  /** Sends `update`; on success `after` gets the stored values and `said` is shown, else the refusal is. */
  const send = async (
    update: Record<string, PluginValue>,
    after: (stored: Record<string, PluginValue>) => void,
    said: string,
  ) => {
    setBusy(true);
    setError(null);
    setIssues({});
    try {
      const res = await pluginsApi.saveConfig(props.plugin.name, update);
      props.onSaved(res.values);
      after(res.values);
      setSaved(said);
    } catch (err) {
      const by = issuesByKey(err);
      if (by) setIssues(by);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: Event) => {
    e.preventDefault();
    const start = initial();
    const update: Record<string, PluginValue> = {};
    for (const f of fields()) {
      const value = values()[f.key] ?? "";
      if (f.type === "secret") {
        if (value !== "") update[f.key] = value;
      } else if (value !== start[f.key]) {
        // An emptied field goes back to the manifest's default.
        update[f.key] = value === "" ? null : value;
      }
    }
    return send(
      update,
      (stored) => setValues(Object.fromEntries(fields().map((f) => [f.key, startValue(f, stored[f.key])]))),
      t("Saved."),
    );
  };

  // Clearing a stored secret is its own request (null for that key), so unsaved edits elsewhere stay in the form.
  const clearSecret = (f: PluginField) =>
    send({ [f.key]: null }, () => setValues((v) => ({ ...v, [f.key]: "" })), t("{field} cleared.", { field: f.label }));

  return (
    <form class="plugin-form" onSubmit={save} novalidate data-testid={`config-${props.plugin.name}`}>
      <For each={fields()}>
        {(f) => (
          <Show when={shown(f)}>
            <div class="plugin-field" data-field={f.key}>
              <Switch>
                <Match when={f.type === "boolean"}>
                  <label class="toggle">
                    <input
                      type="checkbox"
                      id={id(f)}
                      aria-describedby={f.description ? `${id(f)}-rule` : undefined}
                      checked={values()[f.key] === true}
                      onChange={(e) => set(f.key, e.currentTarget.checked)}
                    />
                    {f.label}
                  </label>
                </Match>
                <Match when={f.type === "select"}>
                  <label for={id(f)}>{f.label}</label>
                  <select
                    id={id(f)}
                    aria-describedby={f.description ? `${id(f)}-rule` : undefined}
                    value={String(values()[f.key] ?? "")}
                    onChange={(e) => set(f.key, e.currentTarget.value)}
                  >
                    <For each={f.options ?? []}>{(o) => <option value={o}>{o}</option>}</For>
                  </select>
                </Match>
                <Match when={f.type === "secret"}>
                  <label for={id(f)}>{f.label}</label>
                  <div class="secret-row">
                    <input
                      id={id(f)}
                      aria-describedby={f.description ? `${id(f)}-rule` : undefined}
                      type="password"
                      autocomplete="new-password"
                      placeholder={
                        props.plugin.config[f.key] === SECRET_SET ? t("stored — leave blank to keep") : t("not set")
                      }
                      value={String(values()[f.key] ?? "")}
                      onInput={(e) => set(f.key, e.currentTarget.value)}
                    />
                    <Show when={props.plugin.config[f.key] === SECRET_SET}>
                      <button
                        type="button"
                        aria-label={t("Clear {field}", { field: f.label })}
                        disabled={busy()}
                        onClick={() => void clearSecret(f)}
                      >
                        {t("Clear")}
                      </button>
                    </Show>
                  </div>
                </Match>
                <Match when={true}>
                  <label for={id(f)}>{f.label}</label>
                  <input
                    id={id(f)}
                    aria-describedby={f.description ? `${id(f)}-rule` : undefined}
                    autocapitalize="none"
                    autocomplete="off"
                    spellcheck={false}
                    placeholder={f.placeholder ?? (typeof f.default === "string" ? f.default : "")}
                    value={String(values()[f.key] ?? "")}
                    onInput={(e) => set(f.key, e.currentTarget.value)}
                  />
                </Match>
              </Switch>
              <Show when={f.description}>
                <span class="field-rule" id={`${id(f)}-rule`}>
                  {f.description}
                </span>
              </Show>
              <Show when={issues()[f.key]}>
                <p class="field-error" role="alert" data-field={f.key}>
                  {issues()[f.key]}
                </p>
              </Show>
            </div>
          </Show>
        )}
      </For>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="row">
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? t("Saving…") : t("Save")}
        </button>
        <Show when={saved()}>
          {(text) => (
            <span class="ok" role="status">
              {text()}
            </span>
          )}
        </Show>
      </div>
    </form>
  );
}
