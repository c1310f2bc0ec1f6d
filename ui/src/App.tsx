import { type Component, createMemo, lazy, Match, Switch } from "solid-js";
import { token } from "./lib/api";
import { match, navigate, path } from "./lib/router";
import { Login } from "./pages/Login";
import { Sessions } from "./pages/Sessions";

const Launcher = lazy(() => import("./pages/Launcher").then((m) => ({ default: m.Launcher })));
const Terminal = lazy(() => import("./pages/Terminal").then((m) => ({ default: m.Terminal })));
const Diff = lazy(() => import("./pages/Diff").then((m) => ({ default: m.Diff })));
const Panels = lazy(() => import("./pages/Panels").then((m) => ({ default: m.Panels })));
const Preview = lazy(() => import("./pages/Preview").then((m) => ({ default: m.Preview })));
const Settings = lazy(() => import("./pages/Settings").then((m) => ({ default: m.Settings })));

export const App: Component = () => {
  const route = createMemo(() => {
    const p = path();
    if (p === "/login") return { page: "login" as const };
    if (!token()) {
      queueMicrotask(() => navigate(`/login${location.hash}`, { replace: true }));
      return { page: "login" as const };
    }
    if (p === "/" || p === "/sessions") return { page: "sessions" as const };
    if (p === "/new") return { page: "new" as const };
    if (p === "/settings") return { page: "settings" as const };
    const panel = match("/panels/:name", p);
    if (p === "/panels" || panel) return { page: "panels" as const, name: panel?.name };
    const preview = match("/s/:id/preview", p);
    if (preview) return { page: "preview" as const, id: preview.id ?? "" };
    const diff = match("/s/:id/diff", p);
    if (diff) return { page: "diff" as const, id: diff.id ?? "" };
    const term = match("/s/:id", p);
    if (term) return { page: "terminal" as const, id: term.id ?? "" };
    return { page: "sessions" as const };
  });
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
      <Match when={route().page === "panels"}>
        <Panels name={(route() as { name?: string }).name} />
      </Match>
      <Match when={route().page === "preview" && id()} keyed>
        {(sid) => <Preview id={sid} />}
      </Match>
      <Match when={route().page === "diff" && id()} keyed>
        {(sid) => <Diff id={sid} />}
      </Match>
      <Match when={route().page === "terminal" && id()} keyed>
        {(sid) => <Terminal id={sid} />}
      </Match>
    </Switch>
  );
};
