import { type Component, createEffect, createMemo, createSignal, lazy, Match, onCleanup, Switch } from "solid-js";
import { NotFound } from "./components/NotFound";
import { loadServerLocale } from "./i18n/server-pref";
import { loginPath, token } from "./lib/api";
import { refreshPush } from "./lib/push";
import { match, navigate, path } from "./lib/router";
import { Login } from "./pages/Login";
import { Sessions } from "./pages/Sessions";

const Launcher = lazy(() => import("./pages/Launcher").then((m) => ({ default: m.Launcher })));
const Terminal = lazy(() => import("./pages/Terminal").then((m) => ({ default: m.Terminal })));
const Diff = lazy(() => import("./pages/Diff").then((m) => ({ default: m.Diff })));
const Panels = lazy(() => import("./pages/Panels").then((m) => ({ default: m.Panels })));
const Changes = lazy(() => import("./pages/workspace/Changes").then((m) => ({ default: m.Changes })));
const Files = lazy(() => import("./pages/workspace/Files").then((m) => ({ default: m.Files })));
const Tasks = lazy(() => import("./pages/workspace/Tasks").then((m) => ({ default: m.Tasks })));
const Docs = lazy(() => import("./pages/workspace/Docs").then((m) => ({ default: m.Docs })));
const ModelEndpoints = lazy(() => import("./pages/ModelEndpoints").then((m) => ({ default: m.ModelEndpoints })));
const TelegramSettings = lazy(() => import("./pages/TelegramSettings").then((m) => ({ default: m.TelegramSettings })));
const Preview = lazy(() => import("./pages/Preview").then((m) => ({ default: m.Preview })));
const McpServers = lazy(() => import("./pages/McpServers").then((m) => ({ default: m.McpServers })));
const Plugins = lazy(() => import("./pages/Plugins").then((m) => ({ default: m.Plugins })));
const Settings = lazy(() => import("./pages/Settings").then((m) => ({ default: m.Settings })));

export const App: Component = () => {
  // Once signed in, the language chosen on another device applies here too.
  createEffect(() => token() && void loadServerLocale().catch(() => {}));
  // The server learns this browser's language anew on each load and when it changes (its push texts follow it).
  createEffect(() => token() && void refreshPush().catch(() => {}));
  const onLanguage = () => token() && void refreshPush().catch(() => {});
  window.addEventListener("languagechange", onLanguage);
  onCleanup(() => window.removeEventListener("languagechange", onLanguage));
  const route = createMemo(() => {
    const p = path();
    if (p === "/login") return { page: "login" as const };
    if (!token()) {
      queueMicrotask(() => navigate(`${loginPath()}${location.hash}`, { replace: true }));
      return { page: "login" as const };
    }
    if (p === "/" || p === "/sessions") return { page: "sessions" as const };
    if (p === "/new") return { page: "new" as const };
    if (p === "/settings") return { page: "settings" as const };
    if (p === "/settings/telegram") return { page: "telegram" as const };
    const panel = match("/panels/:name", p);
    if (p === "/panels" || panel) return { page: "panels" as const, name: panel?.name };
    if (p === "/settings/models") return { page: "models" as const };
    if (p === "/settings/mcp") return { page: "mcp" as const };
    if (p === "/settings/plugins") return { page: "plugins" as const };
    const preview = match("/s/:id/preview", p);
    if (preview) return { page: "preview" as const, id: preview.id ?? "" };
    const diff = match("/s/:id/diff", p);
    if (diff) return { page: "diff" as const, id: diff.id ?? "" };
    const tab = match("/s/:id/:tab", p);
    if (tab && ["changes", "files", "tasks", "docs"].includes(tab.tab ?? ""))
      return { page: tab.tab as "changes" | "files" | "tasks" | "docs", id: tab.id ?? "" };
    const term = match("/s/:id", p);
    if (term) return { page: "terminal" as const, id: term.id ?? "" };
    return { page: "not-found" as const };
  });
  // A desktop shows the session list beside the open session.
  const wideQuery = window.matchMedia("(min-width: 1024px)");
  const [wide, setWide] = createSignal(wideQuery.matches);
  const onWide = () => setWide(wideQuery.matches);
  wideQuery.addEventListener("change", onWide);
  onCleanup(() => wideQuery.removeEventListener("change", onWide));
  const id = () => (route() as { id?: string }).id ?? "";

  return (
    <Switch>
      <Match when={route().page === "login"}>
        <Login />
      </Match>
      <Match when={route().page === "sessions"}>
        <Sessions />
      </Match>
      <Match when={route().page === "new"}>
        <Launcher />
      </Match>
      <Match when={route().page === "settings"}>
        <Settings />
      </Match>
      <Match when={route().page === "telegram"}>
        <TelegramSettings />
      </Match>
      <Match when={route().page === "panels"}>
        <Panels name={(route() as { name?: string }).name} />
      </Match>
      <Match when={route().page === "models"}>
        <ModelEndpoints />
      </Match>
      <Match when={route().page === "mcp"}>
        <McpServers />
      </Match>
      <Match when={route().page === "plugins"}>
        <Plugins />
      </Match>
      <Match when={route().page === "preview" && id()} keyed>
        {(sid) => <Preview id={sid} />}
      </Match>
      <Match when={route().page === "diff" && id()} keyed>
        {(sid) => <Diff id={sid} />}
      </Match>
      <Match when={route().page === "changes" && id()} keyed>
        {(sid) => <Changes id={sid} />}
      </Match>
      <Match when={route().page === "files" && id()} keyed>
        {(sid) => <Files id={sid} />}
      </Match>
      <Match when={route().page === "tasks" && id()} keyed>
        {(sid) => <Tasks id={sid} />}
      </Match>
      <Match when={route().page === "docs" && id()} keyed>
        {(sid) => <Docs id={sid} />}
      </Match>
      <Match when={route().page === "terminal" && id()} keyed>
        {(sid) =>
          wide() ? (
            <div class="split">
              <aside class="split-list">
                <Sessions />
              </aside>
              <div class="split-main">
                <Terminal id={sid} />
              </div>
            </div>
          ) : (
            <Terminal id={sid} />
          )
        }
      </Match>
      <Match when={route().page === "not-found"}>
        <NotFound what="page" />
      </Match>
    </Switch>
  );
};
