import { createResource, For } from "solid-js";
import { ws } from "../lib/workspace-api";
import "../workspace.css";

export type SessionTab = "terminal" | "changes" | "files" | "tasks" | "docs";

/** Which panel plugin each tab needs; a disabled panel's tab is hidden. */
const tabs: { tab: SessionTab; label: string; panel?: string; href: (id: string) => string }[] = [
  { tab: "terminal", label: "Terminal", href: (id) => `/s/${id}` },
  { tab: "changes", label: "Changes", panel: "git", href: (id) => `/s/${id}/changes` },
  { tab: "files", label: "Files", panel: "files", href: (id) => `/s/${id}/files` },
  { tab: "tasks", label: "Tasks", panel: "tasks", href: (id) => `/s/${id}/tasks` },
  { tab: "docs", label: "Docs", panel: "docs", href: (id) => `/s/${id}/docs` },
];

const [panels] = createResource(() => ws.panels().catch(() => new Map<string, boolean>()));

/** Terminal · Changes · Files · Tasks · Docs for one session. */
export function SessionTabs(props: { id: string; current: SessionTab }) {
  const shown = () => tabs.filter((t) => !t.panel || panels()?.get(t.panel) !== false);
  return (
    <nav class="session-tabs" aria-label="Session">
      <For each={shown()}>
        {(t) => (
          <a
            href={t.href(props.id)}
            class="session-tab"
            classList={{ active: t.tab === props.current }}
            aria-current={t.tab === props.current ? "page" : undefined}
            data-tab={t.tab}
          >
            {t.label}
          </a>
        )}
      </For>
    </nav>
  );
}
