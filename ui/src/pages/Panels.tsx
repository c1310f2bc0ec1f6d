import { createResource, For, lazy, Match, Show, Switch } from "solid-js";
import { TopBar } from "../components/TopBar";
import { pluginText, t } from "../i18n";
import { errorText } from "../lib/api";
import { panelsApi } from "../lib/panels-api";
import "./panels/panels.css";

const PgPanel = lazy(() => import("./panels/PgPanel").then((m) => ({ default: m.PgPanel })));
const ForgePanel = lazy(() => import("./panels/ForgePanel").then((m) => ({ default: m.ForgePanel })));
const DocsPanel = lazy(() => import("./panels/DocsPanel").then((m) => ({ default: m.DocsPanel })));
const SimulatorPanel = lazy(() => import("./panels/SimulatorPanel").then((m) => ({ default: m.SimulatorPanel })));

/** The panels this page knows how to show; the others (files, git…) live with the session. */
export const SHOWN_PANELS = ["pg", "forge", "docs", "simulator"];

/** /panels: the enabled panels; a disabled one is not listed and its page says so. */
export function Panels(props: { name?: string }) {
  const [panels] = createResource(() => panelsApi.panels());
  const enabled = () => (panels() ?? []).filter((p) => p.enabled && SHOWN_PANELS.includes(p.name));
  const current = () => enabled().find((p) => p.name === props.name);

  return (
    <Show
      when={props.name}
      fallback={
        <main class="page panels-page">
          <TopBar title={t("Panels")} back="/" />
          <Show when={!panels.error} fallback={<p class="error">{errorText(panels.error)}</p>}>
            <Show when={panels()} fallback={<p class="empty">{t("Loading…")}</p>}>
              <Show when={enabled().length} fallback={<p class="empty">{t("No panels are enabled.")}</p>}>
                <ul class="panel-list" data-testid="panel-list">
                  <For each={enabled()}>
                    {(p) => (
                      <li>
                        <a class="panel-item" href={`/panels/${p.name}`} data-panel={p.name}>
                          <span class="panel-icon">{p.provider.icon}</span>
                          <span class="panel-main">
                            <span class="panel-name">{pluginText(p.provider, "displayName") ?? p.name}</span>
                            <span class="panel-desc">{pluginText(p.provider, "description")}</span>
                          </span>
                        </a>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </Show>
        </main>
      }
    >
      <Show when={panels()} fallback={<p class="empty">{t("Loading…")}</p>}>
        <Show
          when={current()}
          fallback={
            <main class="page">
              <TopBar title={t("Panels")} back="/panels" />
              <p class="empty">{t("This panel is disabled or unknown.")}</p>
              <p class="empty">
                <a class="link" href={`/settings/plugins#${props.name ?? ""}`}>
                  {t("Turn panels on in Settings → Plugins ›")}
                </a>
              </p>
            </main>
          }
        >
          {(p) => (
            <Switch>
              <Match when={p().name === "pg"}>
                <PgPanel />
              </Match>
              <Match when={p().name === "forge"}>
                <ForgePanel />
              </Match>
              <Match when={p().name === "docs"}>
                <DocsPanel />
              </Match>
              <Match when={p().name === "simulator"}>
                <SimulatorPanel />
              </Match>
            </Switch>
          )}
        </Show>
      </Show>
    </Show>
  );
}
