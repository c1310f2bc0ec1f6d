import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { TopBar } from "../components/TopBar";
import { pluginText, t } from "../i18n";
import { errorText } from "../lib/api";
import { type PluginInfo, type PluginValue, pluginsApi, setPanelOn } from "../lib/plugins-api";
import { PluginConfigForm } from "./PluginConfigForm";
import "./forms.css";
import "./plugins.css";

/** One plugin: what it is, whether it is on, and (opened) its settings. */
function PluginCard(props: { plugin: PluginInfo; onChanged: (p: PluginInfo) => void }) {
  const p = () => props.plugin;
  const hasConfig = () => (p().provider.configSchema ?? []).length > 0;
  const [open, setOpen] = createSignal(location.hash === `#${p().name}`);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const title = () => pluginText(p().provider, "displayName") ?? p().name;
  const description = () => pluginText(p().provider, "description");
  let card: HTMLElement | undefined;
  onMount(() => {
    if (location.hash === `#${p().name}`) card?.scrollIntoView({ block: "start" });
  });

  const toggle = async (enabled: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await pluginsApi.toggle(p().name, enabled);
      props.onChanged({ ...p(), enabled });
      if (p().provider.kind === "panel") setPanelOn(p().name, enabled);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const state = () =>
    [
      p().enabled ? t("Enabled") : t("Disabled"),
      p().installed === true ? t("installed") : p().installed === false ? t("not installed") : null,
      p().provider.required ? t("required") : null,
    ]
      .filter(Boolean)
      .join(" · ");

  return (
    <section
      class="card plugin-card"
      id={p().name}
      ref={card}
      data-plugin={p().name}
      data-enabled={String(p().enabled)}
    >
      <div class="plugin-head">
        <span class="plugin-icon" aria-hidden="true">
          {p().provider.icon}
        </span>
        <span class="plugin-main">
          <h3>{title()}</h3>
          <span class="hint plugin-state" data-testid="plugin-state">
            {state()}
          </span>
        </span>
        <label class="toggle plugin-switch">
          <input
            type="checkbox"
            checked={p().enabled}
            disabled={busy() || (p().provider.required && p().enabled)}
            aria-label={t("{name} enabled", { name: title() })}
            onChange={(e) => void toggle(e.currentTarget.checked)}
          />
        </label>
      </div>
      <Show when={description()}>
        <p class="hint">{description()}</p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={hasConfig()}>
        <button type="button" class="link" aria-expanded={open()} onClick={() => setOpen(!open())}>
          {open() ? t("Hide settings") : t("Settings ›")}
        </button>
        <Show when={open()}>
          <PluginConfigForm
            plugin={p()}
            onSaved={(config: Record<string, PluginValue>) => props.onChanged({ ...p(), config })}
          />
        </Show>
      </Show>
    </section>
  );
}

/** Settings → Plugins: every agent and panel, on or off, with its settings; manifests that failed to load. */
export function Plugins() {
  const [plugins, { mutate }] = createResource(() => pluginsApi.list());
  const [errors] = createResource(() => pluginsApi.errors().catch(() => []));
  // A resource that failed throws when read: the page shows its error instead.
  const list = () => (plugins.error ? [] : (plugins() ?? []));
  const names = (kind: "agent" | "panel") =>
    list()
      .filter((p) => p.provider.kind === kind)
      .map((p) => p.name);
  const byName = (name: string) => list().find((p) => p.name === name);
  const replace = (p: PluginInfo) => mutate((list) => (list ?? []).map((x) => (x.name === p.name ? p : x)));

  const group = (kind: "agent" | "panel", title: string) => (
    <Show when={names(kind).length}>
      <h2 class="plugin-group">{title}</h2>
      <For each={names(kind)}>
        {(name) => <Show when={byName(name)}>{(p) => <PluginCard plugin={p()} onChanged={replace} />}</Show>}
      </For>
    </Show>
  );

  return (
    <main class="page settings">
      <TopBar title={t("Plugins")} back="/settings" />
      <p class="hint page-intro">
        {t("Every agent and panel is a plugin. A panel that is off is hidden and its pages answer 404.")}
      </p>
      <Show when={plugins.error}>
        <p class="error page-intro" role="alert">
          {errorText(plugins.error)}
        </p>
      </Show>
      <Show when={plugins.loading}>
        <p class="hint page-intro">{t("Loading…")}</p>
      </Show>
      <Show when={(errors() ?? []).length}>
        <section class="card plugin-errors" data-testid="plugin-errors">
          <h2>{t("Manifests that failed to load")}</h2>
          <ul>
            <For each={errors()}>
              {(e) => (
                <li>
                  <code>{e.file}</code>
                  <For each={e.issues}>
                    {(i) => (
                      <p class="error">
                        {i.path ? `${i.path}: ` : ""}
                        {i.message}
                      </p>
                    )}
                  </For>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      {group("panel", t("Panels"))}
      {group("agent", t("Agents"))}
    </main>
  );
}
