import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { t } from "../../i18n";
import { wsUrl } from "../../lib/api";
import type { LogFrame } from "../../lib/workspace-api";

const MAX_LINES = 5000;

/** Follows a log over /api/logs/ws, resuming from its byte cursor after a dropped connection. */
export function LogView(props: { sessionId: string; path: string; onClose: () => void }) {
  const [lines, setLines] = createSignal<string[]>([]);
  const [grep, setGrep] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  let cursor: number | undefined;
  let socket: WebSocket | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    socket?.close();
    socket = new WebSocket(
      wsUrl("/api/logs/ws", { sessionId: props.sessionId, path: props.path, since: cursor, grep: grep() || undefined }),
    );
    socket.onmessage = (e) => {
      const f = JSON.parse(String(e.data)) as LogFrame;
      if (f.type === "lines") {
        cursor = f.cursor;
        if (f.lines.length) setLines((l) => [...l, ...f.lines].slice(-MAX_LINES));
      } else if (f.type === "rotated") {
        cursor = 0;
        setLines((l) => [...l, "--- log rotated / truncated ---"]);
      } else if (f.type === "error") setError(f.message);
    };
    socket.onclose = () => {
      if (!closed) retry = setTimeout(connect, 2000);
    };
  };
  onMount(connect);
  onCleanup(() => {
    closed = true;
    clearTimeout(retry);
    socket?.close();
  });

  return (
    <section class="viewer" data-testid="log-view">
      <header class="viewer-head">
        <button type="button" class="icon-btn" aria-label={t("Back to files")} onClick={props.onClose}>
          ‹
        </button>
        <h2 class="viewer-path">{props.path}</h2>
      </header>
      <form
        class="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          cursor = undefined;
          setLines([]);
          setError(null);
          connect();
        }}
      >
        <input
          aria-label={t("Filter (regex)")}
          placeholder={t("Filter (regex)")}
          value={grep()}
          onInput={(e) => setGrep(e.currentTarget.value)}
        />
        <button type="submit">{t("Apply")}</button>
      </form>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
      <pre class="code log-lines">
        <For each={lines()}>{(l) => <div>{l || " "}</div>}</For>
      </pre>
    </section>
  );
}
