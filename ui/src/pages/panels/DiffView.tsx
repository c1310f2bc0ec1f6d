import { For } from "solid-js";
import { t } from "../../i18n";
import { lineClass, splitDiff } from "../Diff";

/** A unified diff, one card per file, lines wrapped to fit a phone. */
export function DiffView(props: { diff: string }) {
  return (
    <For each={splitDiff(props.diff)} fallback={<p class="empty">{t("No changes.")}</p>}>
      {(p) => (
        <section class="patch">
          <h2 class="patch-path">{p.path}</h2>
          <pre class="patch-body wrap">
            <For each={p.lines}>{(l) => <div class={`dl ${lineClass(l)}`}>{l || " "}</div>}</For>
          </pre>
        </section>
      )}
    </For>
  );
}
