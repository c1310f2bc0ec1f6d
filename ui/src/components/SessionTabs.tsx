import { For } from "solid-js";
import { msg, t } from "../i18n";
import { panelOn } from "../lib/plugins-api";
import "../workspace.css";

export type SessionTab = "terminal" | "changes" | "files" | "tasks" | "docs";

/** Which panel plugin each tab needs; a disabled panel's tab is hidden. */
const tabs: { tab: SessionTab; label: string; panel?: string; href: (id: string) => string }[] = [
  { tab: "terminal", label: msg("Terminal"), href: (id) => `/s/${id}` },
  { tab: "changes", label: msg("Changes"), panel: "git", href: (id) => `/s/${id}/changes` },
  { tab: "files", label: msg("Files"), panel: "files", href: (id) => `/s/${id}/files` },
  { tab: "tasks", label: msg("Tasks"), panel: "tasks", href: (id) => `/s/${id}/tasks` },
  { tab: "docs", label: msg("Docs"), panel: "docs", href: (id) => `/s/${id}/docs` },
];

// Shared with Settings → Plugins, so a toggle there shows or hides the tab at once.
export { panelOn };

/** Terminal · Changes · Files · Tasks · Docs for one session. */
export function SessionTabs(props: { id: string; current: SessionTab }) {
  const shown = () => tabs.filter((tv) => !tv.panel || panelOn(tv.panel));
  return (
    <nav class="session-tabs" aria-label={t("Session")}>
      <For each={shown()}>
        {(tv) => (
          <a
            href={tv.href(props.id)}
            class="session-tab"
            classList={{ active: tv.tab === props.current }}
            aria-current={tv.tab === props.current ? "page" : undefined}
            data-tab={tv.tab}
          >
            {t(tv.label)}
          </a>
        )}
      </For>
    </nav>
  );
}
