import { createResource, createSignal, For, Show } from "solid-js";
import { DiffProblem } from "../components/DiffProblem";
import { TopBar } from "../components/TopBar";
import { plural, t } from "../i18n";
import { api } from "../lib/api";
import { shortPath } from "../lib/format";
import type { DiffFile } from "../lib/types";

interface FilePatch {
  path: string;
  lines: string[];
}

/** Splits a unified diff into one block per file ("diff --git a/x b/x"). */
export function splitDiff(text: string): FilePatch[] {
  const out: FilePatch[] = [];
  for (const line of text.split("\n")) {
    const head = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (head) out.push({ path: head[2] ?? head[1] ?? "", lines: [] });
    else if (out.length) out[out.length - 1]?.lines.push(line);
    else if (line) out.push({ path: "", lines: [line] });
  }
  return out;
}

/** A diff line's class: hunk header, added, removed, a header line of the patch (meta), or context. */
export const lineClass = (l: string) =>
  l.startsWith("@@")
    ? "hunk"
    : l.startsWith("+") && !l.startsWith("+++")
      ? "add"
      : l.startsWith("-") && !l.startsWith("---")
        ? "del"
        : /^(index |--- |\+\+\+ |new file|deleted file|similarity|rename |old mode|new mode)/.test(l)
          ? "meta"
          : "";

export function Diff(props: { id: string }) {
  const [data, { refetch }] = createResource(() => api.diff(props.id));
  const [wrap, setWrap] = createSignal(true);
  const patches = () => splitDiff(data()?.diff ?? "");
  const anchor = (path: string) => `file-${encodeURIComponent(path)}`;

  return (
    <main class="page diff-page">
      <TopBar title={t("Changes")} back={`/s/${props.id}`}>
        <button
          type="button"
          class="icon-btn"
          aria-label={t("Toggle line wrap")}
          aria-pressed={wrap()}
          onClick={() => setWrap(!wrap())}
        >
          ↩
        </button>
        <button type="button" class="icon-btn" aria-label={t("Reload")} onClick={() => void refetch()}>
          ⟳
        </button>
      </TopBar>
      <Show when={!data.error} fallback={<DiffProblem error={data.error} />}>
        <Show when={data()} fallback={<p class="empty">{t("Loading…")}</p>}>
          {(d) => (
            <>
              <p class="diff-base">
                {d().baseline ? (
                  <>
                    {t("Since")} <code>{d().baseline?.slice(0, 10)}</code>
                  </>
                ) : (
                  t("Since the session started")
                )}{" "}
                · {plural(d().files.length, "{n} file", "{n} files")}
              </p>
              <Show when={d().files.length > 0} fallback={<p class="empty">{t("No changes yet.")}</p>}>
                <ul class="diff-files" data-testid="diff-files">
                  <For each={d().files}>
                    {(f: DiffFile) => (
                      <li>
                        <a
                          href={`#${anchor(f.path)}`}
                          onClick={(e) => {
                            e.preventDefault();
                            document.getElementById(anchor(f.path))?.scrollIntoView({ behavior: "smooth" });
                          }}
                        >
                          <span class={`file-status st-${f.status[0]?.toLowerCase() ?? "m"}`}>
                            {f.status[0]?.toUpperCase()}
                          </span>
                          <span class="file-path">{shortPath(f.path, 38)}</span>
                          <span class="adds">+{f.additions}</span>
                          <span class="dels">−{f.deletions}</span>
                        </a>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <For each={patches()}>
                {(p) => (
                  <section class="patch" id={anchor(p.path)}>
                    <h2 class="patch-path">{p.path}</h2>
                    <pre class="patch-body" classList={{ wrap: wrap() }}>
                      <For each={p.lines}>{(l) => <div class={`dl ${lineClass(l)}`}>{l || " "}</div>}</For>
                    </pre>
                  </section>
                )}
              </For>
            </>
          )}
        </Show>
      </Show>
    </main>
  );
}
