import { createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { api } from "../lib/api";

/** Copy mode: the whole output as selectable text. */
export function CopyView(props: { text: string }) {
  const [copied, setCopied] = createSignal(false);
  return (
    <div class="copy-view">
      <pre class="copy-text">{props.text}</pre>
      <button
        type="button"
        class="primary"
        onClick={() =>
          navigator.clipboard.writeText(props.text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied() ? t("Copied") : t("Copy all")}
      </button>
    </div>
  );
}

/** Where to paste when the browser refuses to read the clipboard. */
export function PasteBox(props: { onSend: (text: string) => void }) {
  let area!: HTMLTextAreaElement;
  return (
    <div class="paste-box">
      <textarea ref={area} rows="5" placeholder={t("Paste here")} autofocus />
      <button type="button" class="primary" onClick={() => props.onSend(area.value)}>
        {t("Send to terminal")}
      </button>
    </div>
  );
}

/** Finds text on the screen and scrollback, and in the output the server keeps. */
export function SearchBox(props: {
  sessionId: string;
  find: (q: string) => { line: number; text: string }[];
  onPick: (line: number) => void;
}) {
  const [hits, setHits] = createSignal<{ line: number; text: string }[] | null>(null);
  const [older, setOlder] = createSignal<string[]>([]);
  const search = async (e: Event) => {
    e.preventDefault();
    const q = new FormData(e.currentTarget as HTMLFormElement).get("q")?.toString() ?? "";
    if (!q) return;
    setHits(props.find(q));
    // The server keeps more output than the screen's scrollback.
    const res = await api.search(props.sessionId, q).catch(() => null);
    const onScreen = new Set(props.find(q).map((h) => h.text));
    setOlder((res?.hits ?? []).map((h) => h.text).filter((t) => t && !onScreen.has(t)));
  };
  return (
    <form class="search-box" onSubmit={search}>
      <input name="q" type="search" placeholder={t("Text to find")} autocapitalize="none" enterkeyhint="search" />
      <Show when={hits()}>
        {(h) => (
          <ul class="search-hits">
            <For each={h()} fallback={<li class="empty">{t("No match on screen.")}</li>}>
              {(hit) => (
                <li>
                  <button type="button" onClick={() => props.onPick(hit.line)}>
                    {hit.text}
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
      <Show when={older().length > 0}>
        <h3>{t("In the session's full output")}</h3>
        <ul class="search-hits">
          <For each={older()}>{(t) => <li class="older">{t}</li>}</For>
        </ul>
      </Show>
    </form>
  );
}
