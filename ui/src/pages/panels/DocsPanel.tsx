import { createResource, createSignal, For, Show } from "solid-js";
import { TopBar } from "../../components/TopBar";
import { plural, t } from "../../i18n";
import { errorText } from "../../lib/api";
import { panelsApi } from "../../lib/panels-api";
import { ConfigureLink } from "./ConfigureLink";

/** /panels/docs: the Markdown notes of the docs panel's forge repository. */
export function DocsPanel() {
  const [tree] = createResource(() => panelsApi.docsTree());
  const [filter, setFilter] = createSignal("");
  const [path, setPath] = createSignal<string | null>(null);
  const [file] = createResource(path, (p) => panelsApi.docsFile(p));
  // Reading a failed resource throws: the error would escape the page and leave "Loading…" on screen.
  const loaded = () => (tree.error ? undefined : tree());
  const shown = () => (loaded()?.files ?? []).filter((f) => f.toLowerCase().includes(filter().toLowerCase()));
  return (
    <main class="page panel-page docs-panel">
      <TopBar title={t("Notes")} back="/panels" />
      <Show
        when={path()}
        fallback={
          <>
            <div class="panel-bar">
              <input
                type="search"
                aria-label={t("Find a note")}
                placeholder={t("Find a note")}
                value={filter()}
                onInput={(e) => setFilter(e.currentTarget.value)}
              />
              <Show when={loaded()}>
                {(tv) => (
                  <p class="hint">
                    {tv().repo} · {tv().branch} · {plural(tv().files.length, "{n} note", "{n} notes")}
                  </p>
                )}
              </Show>
            </div>
            <Show
              when={!tree.error}
              fallback={
                <div class="panel-error">
                  <p class="error">{errorText(tree.error)}</p>
                  <ConfigureLink plugin="docs" />
                </div>
              }
            >
              <ul class="doc-list">
                <For each={shown()} fallback={<li class="empty">{loaded() ? t("No notes match.") : t("Loading…")}</li>}>
                  {(f) => (
                    <li>
                      <button type="button" class="doc-item" onClick={() => setPath(f)}>
                        {f}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        }
      >
        <div class="panel-bar">
          <button type="button" class="link" onClick={() => setPath(null)}>
            {t("‹ All notes")}
          </button>
          <p class="hint">{path()}</p>
        </div>
        <Show when={!file.error} fallback={<p class="error">{errorText(file.error)}</p>}>
          <pre class="prose note">{file()?.content ?? t("Loading…")}</pre>
        </Show>
      </Show>
    </main>
  );
}
