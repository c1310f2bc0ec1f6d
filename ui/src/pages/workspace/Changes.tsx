import { createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { SessionTabs } from "../../components/SessionTabs";
import { Sheet } from "../../components/Sheet";
import { TopBar } from "../../components/TopBar";
import { msg, plural, t } from "../../i18n";
import { api, errorText, wsUrl } from "../../lib/api";
import { type ChangedFile, type ChangesMode, type DiffLine, ws } from "../../lib/workspace-api";

const MODES: { mode: ChangesMode; label: string }[] = [
  { mode: "working", label: msg("Uncommitted") },
  { mode: "baseline", label: msg("This session") },
  { mode: "staged", label: msg("Staged") },
  { mode: "unstaged", label: msg("Unstaged") },
  { mode: "branch", label: msg("Branch") },
];

interface Note {
  path: string;
  line: number;
  side: "old" | "new";
  body: string;
}

/** Follows the session WebSocket from its current end only for `{type:"changes"}`, to refetch. */
function onWorkTreeChange(id: string, changed: () => void) {
  let socket: WebSocket | undefined;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = async () => {
    const s = await api.session(id).catch(() => null);
    if (closed || !s) return;
    socket = new WebSocket(wsUrl(`/api/sessions/${id}/ws`, { since: s.cursor }));
    socket.onmessage = (e) => {
      if (typeof e.data !== "string" || !e.data.includes('"changes"')) return;
      clearTimeout(timer);
      timer = setTimeout(changed, 200);
    };
    socket.onclose = () => {
      if (!closed) timer = setTimeout(open, 3000);
    };
  };
  void open();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
}

export function Changes(props: { id: string }) {
  const [mode, setMode] = createSignal<ChangesMode>("working");
  const [data, { refetch }] = createResource(mode, (m) => ws.changes(props.id, m));
  const [notes, setNotes] = createSignal<Note[]>([]);
  const [editing, setEditing] = createSignal<{ path: string; line: number; side: "old" | "new"; text: string } | null>(
    null,
  );
  const [draft, setDraft] = createSignal("");
  const [summary, setSummary] = createSignal("");
  const [sent, setSent] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  onMount(() => onCleanup(onWorkTreeChange(props.id, () => void refetch())));

  const tapLine = (f: ChangedFile, l: DiffLine) => {
    if (l.type === "meta") return;
    const side = l.type === "del" ? "old" : "new";
    const line = (side === "old" ? l.oldLine : l.newLine) ?? 0;
    setEditing({ path: f.path, line, side, text: l.text });
    setDraft(notes().find((n) => n.path === f.path && n.line === line && n.side === side)?.body ?? "");
  };
  const saveNote = () => {
    const e = editing();
    if (!e) return;
    const rest = notes().filter((n) => !(n.path === e.path && n.line === e.line && n.side === e.side));
    setNotes(draft().trim() ? [...rest, { path: e.path, line: e.line, side: e.side, body: draft().trim() }] : rest);
    setEditing(null);
  };
  const hasNote = (path: string, l: DiffLine) =>
    notes().some(
      (n) =>
        n.path === path &&
        (l.type === "del" ? n.side === "old" && n.line === l.oldLine : n.side === "new" && n.line === l.newLine),
    );
  const send = async () => {
    setError(null);
    try {
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      await ws.review(props.id, { id, comments: notes(), summary: summary().trim() || undefined });
      setSent(plural(notes().length, "Sent {n} note to the agent.", "Sent {n} notes to the agent."));
      setNotes([]);
      setSummary("");
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <main class="page workspace-page">
      <TopBar title={t("Changes")} back="/">
        <button type="button" class="icon-btn" aria-label={t("Reload")} onClick={() => void refetch()}>
          ⟳
        </button>
      </TopBar>
      <SessionTabs id={props.id} current="changes" />
      <div class="mode-row" role="tablist" aria-label={t("Compare")}>
        <For each={MODES}>
          {(m) => (
            <button
              type="button"
              role="tab"
              class="chip"
              aria-selected={mode() === m.mode}
              classList={{ active: mode() === m.mode }}
              onClick={() => setMode(m.mode)}
            >
              {t(m.label)}
            </button>
          )}
        </For>
      </div>
      <Show when={sent()}>
        <p class="ok-note" role="status">
          {sent()}
        </p>
      </Show>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
      <Show when={!data.error} fallback={<p class="error">{errorText(data.error)}</p>}>
        <Show when={data()} fallback={<p class="empty">{t("Loading…")}</p>}>
          {(d) => (
            <>
              <p class="diff-base">
                {plural(d().total, "{n} changed file", "{n} changed files")} · {t("tap a line to write a note")}
              </p>
              <Show when={d().files.length === 0}>
                <p class="empty">{t("No changes.")}</p>
              </Show>
              <For each={d().files}>
                {(f) => (
                  <section class="patch" data-path={f.path}>
                    <h2 class="patch-path">
                      <span class={`file-status st-${f.status[0]}`}>{f.status[0]?.toUpperCase()}</span>{" "}
                      {f.oldPath ? `${f.oldPath} → ` : ""}
                      {f.path} <span class="adds">+{f.additions}</span> <span class="dels">−{f.deletions}</span>
                    </h2>
                    <Show when={!f.binary} fallback={<p class="empty">{t("Binary file")}</p>}>
                      <div class="patch-body wrap">
                        <For each={f.hunks ?? []}>
                          {(h) => (
                            <>
                              <div class="dl hunk">
                                @@ −{h.oldStart} +{h.newStart} @@ {h.header}
                              </div>
                              <For each={h.lines}>
                                {(l) => (
                                  <button
                                    type="button"
                                    class={`dl ${l.type}`}
                                    classList={{ noted: hasNote(f.path, l) }}
                                    onClick={() => tapLine(f, l)}
                                  >
                                    <span class="ln">{l.type === "del" ? l.oldLine : l.newLine}</span>
                                    <span class="lt">
                                      {l.type === "add" ? "+" : l.type === "del" ? "−" : " "}
                                      {l.text}
                                    </span>
                                  </button>
                                )}
                              </For>
                            </>
                          )}
                        </For>
                        <Show when={f.truncated}>
                          <p class="empty">{t("Too large to show in full.")}</p>
                        </Show>
                      </div>
                    </Show>
                  </section>
                )}
              </For>
            </>
          )}
        </Show>
      </Show>
      <Show when={editing()}>
        {(e) => (
          <Sheet title={t("Review note")} onClose={() => setEditing(null)}>
            <div class="note-sheet">
              <p class="note-where">
                {e().path}:{e().line}
                {e().side === "old" ? t(" (removed)") : ""}
              </p>
              <pre class="note-quote">{e().text}</pre>
              <textarea
                aria-label={t("Note")}
                value={draft()}
                onInput={(ev) => setDraft(ev.currentTarget.value)}
                rows={4}
              />
              <button type="button" class="primary" onClick={saveNote}>
                {t("Save note")}
              </button>
            </div>
          </Sheet>
        )}
      </Show>
      <Show when={notes().length > 0}>
        <div class="review-bar">
          <input
            aria-label={t("Summary")}
            placeholder={t("Summary (optional)")}
            value={summary()}
            onInput={(ev) => setSummary(ev.currentTarget.value)}
          />
          <button type="button" class="primary" onClick={send}>
            {t("Send review ({n})", { n: notes().length })}
          </button>
        </div>
      </Show>
    </main>
  );
}
