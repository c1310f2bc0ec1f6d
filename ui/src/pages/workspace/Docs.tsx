import { createResource, createSignal, For, Show } from "solid-js";
import { SessionTabs } from "../../components/SessionTabs";
import { TopBar } from "../../components/TopBar";
import { t } from "../../i18n";
import { errorText } from "../../lib/api";
import { withToken, ws } from "../../lib/workspace-api";

/** Images and links in the server's (sanitized) HTML load through files/raw, which needs the token. */
function addTokens(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll("img[src^='/api/files/raw']"))
    el.setAttribute("src", withToken(el.getAttribute("src") ?? ""));
  for (const el of doc.querySelectorAll("a[href^='/api/files/raw']")) {
    el.setAttribute("href", withToken(el.getAttribute("href") ?? ""));
    // Not Markdown: opens raw in a new tab (the app's router leaves target links alone).
    if (!/\.(md|markdown|mdx)$/i.test(el.getAttribute("data-path") ?? "")) el.setAttribute("target", "_blank");
  }
  return doc.body.innerHTML;
}

export function Docs(props: { id: string }) {
  const [list] = createResource(() => ws.docs(props.id));
  const [open, setOpen] = createSignal<string | null>(null);
  const [doc] = createResource(open, (p) => ws.doc(props.id, p));

  const onClick = (e: MouseEvent) => {
    const a = (e.target as Element).closest?.("a[data-path]") as HTMLAnchorElement | null;
    const path = a?.dataset.path;
    if (!path || !/\.(md|markdown|mdx)$/i.test(path)) return;
    e.preventDefault();
    e.stopPropagation();
    setOpen(path);
    window.scrollTo(0, 0);
  };

  return (
    <main class="page workspace-page">
      <TopBar title={t("Docs")} back="/" />
      <SessionTabs id={props.id} current="docs" />
      <Show
        when={open()}
        fallback={
          <Show when={!list.error} fallback={<p class="error">{errorText(list.error)}</p>}>
            <ul class="entry-list" data-testid="doc-list">
              <For each={list()?.docs} fallback={<li class="empty">{t("No Markdown here.")}</li>}>
                {(d) => (
                  <li>
                    <button type="button" class="entry" onClick={() => setOpen(d.path)}>
                      <span class="entry-name">
                        {d.title}
                        <span class="entry-meta">{d.path}</span>
                      </span>
                      <Show when={d.changed}>
                        <span class="badge-changed">{t("changed")}</span>
                      </Show>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        }
      >
        <div class="viewer-head">
          <button type="button" class="icon-btn" aria-label={t("All docs")} onClick={() => setOpen(null)}>
            ‹
          </button>
          <h2 class="viewer-path">{open()}</h2>
        </div>
        <Show when={!doc.error} fallback={<p class="error">{errorText(doc.error)}</p>}>
          {/* Rendered with raw HTML escaped and sanitized by allowlist on the server; links to docs open here. */}
          <article
            class="markdown"
            data-testid="doc"
            ref={(el) => el.addEventListener("click", onClick)}
            innerHTML={addTokens(doc()?.html ?? "")}
          />
        </Show>
      </Show>
    </main>
  );
}
