import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { type Key, KeyBar } from "../components/KeyBar";
import { PromptCard } from "../components/PromptCard";
import { Sheet } from "../components/Sheet";
import { StatusBadge } from "../components/StatusBadge";
import { type TerminalController, TerminalScreen } from "../components/TerminalScreen";
import { CopyView, PasteBox, SearchBox } from "../components/TerminalTools";
import { api, errorText } from "../lib/api";
import { arrow } from "../lib/keys";
import { navigate } from "../lib/router";
import { fontSize as savedFontSize, setFontSize as saveFontSize } from "../lib/storage";
import type { ConnectionState, ServerFrame } from "../lib/terminal-socket";
import type { Prompt, Session, SessionStatus } from "../lib/types";

const stateText: Record<ConnectionState, string> = {
  connecting: "connecting…",
  open: "live",
  offline: "offline — input is queued",
  reconnecting: "reconnecting…",
  exited: "ended",
  closed: "closed",
};

export function Terminal(props: { id: string }) {
  const [session, setSession] = createSignal<Session | null>(null);
  const [status, setStatus] = createSignal<SessionStatus | null>(null);
  const [exitCode, setExitCode] = createSignal<number | null>(null);
  const [conn, setConn] = createSignal<ConnectionState>("connecting");
  const [prompt, setPrompt] = createSignal<Prompt | null>(null);
  const [ctrl, setCtrl] = createSignal(false);
  const [sheet, setSheet] = createSignal<"menu" | "search" | "copy" | "paste" | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [size, setSize] = createSignal(savedFontSize());
  let term: TerminalController | undefined;

  const refresh = async () => {
    const s = await api.session(props.id);
    setSession(s);
    setStatus(s.status);
    setExitCode(s.exitCode);
    return s;
  };

  onMount(() => {
    refresh().catch((err) => setError(errorText(err)));
    const checkPrompt = () =>
      api.prompt(props.id).then(
        (p) => setPrompt(p ?? null),
        () => {},
      );
    void checkPrompt();
    // Prompt events also arrive over the socket; this catches one missed while reconnecting.
    const poll = setInterval(() => document.visibilityState === "visible" && !exited() && void checkPrompt(), 5000);
    onCleanup(() => clearInterval(poll));
    // Phones resize the visual viewport, not the layout, when the keyboard opens.
    const vv = window.visualViewport;
    const fitViewport = () =>
      document.documentElement.style.setProperty("--app-height", `${vv?.height ?? window.innerHeight}px`);
    fitViewport();
    vv?.addEventListener("resize", fitViewport);
    onCleanup(() => {
      vv?.removeEventListener("resize", fitViewport);
      document.documentElement.style.removeProperty("--app-height");
    });
  });

  const onEvent = (e: ServerFrame) => {
    if (e.type === "idle") {
      setStatus("idle");
      api.prompt(props.id).then(
        (p) => setPrompt(p ?? null),
        () => {},
      );
    } else if (e.type === "running") setStatus("running");
    else if (e.type === "exit") {
      setStatus("exited");
      setExitCode(e.code);
      setPrompt(null);
    } else if (e.type === "prompt") {
      const { type: _type, ...p } = e;
      setPrompt(p);
      setStatus("waiting");
    } else if (e.type === "prompt_cleared" && prompt()?.id === e.id) setPrompt(null);
  };

  const onKey = (key: Key) => {
    if (!term) return;
    if (key.action === "ctrl") return setCtrl(!ctrl());
    if (key.action) {
      const dir = ({ up: "A", down: "B", right: "C", left: "D" } as const)[key.action];
      term.send(arrow(dir, term.applicationCursor()));
    } else if (key.send) {
      if (ctrl() && key.send.length === 1 && key.send >= " ") {
        setCtrl(false);
        term.send(String.fromCharCode(key.send.charCodeAt(0) & 0x1f));
      } else term.send(key.send);
    }
  };

  const act = (fn: () => Promise<unknown>) => async () => {
    setSheet(null);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const stop = act(async () => {
    await api.stop(props.id);
    await refresh();
  });
  const restart = act(async () => {
    await api.start(props.id);
    await refresh();
    term?.reconnect();
  });
  const remove = act(async () => {
    if (!confirm("Delete this session? Its process is stopped.")) return;
    await api.deleteSession(props.id);
    navigate("/", { replace: true });
  });
  const zoom = (delta: number) => {
    const next = Math.min(24, Math.max(8, size() + delta));
    setSize(next);
    saveFontSize(next);
    term?.setFontSize(next);
  };
  const paste = async () => {
    setSheet(null);
    try {
      const text = await navigator.clipboard.readText();
      if (text) term?.paste(text);
    } catch {
      setSheet("paste"); // clipboard read refused: let the user paste into a text box
    }
  };

  const exited = () => status() === "exited";

  return (
    <main class="page terminal-page">
      <header class="topbar">
        <a class="icon-btn" href="/" aria-label="Back">
          ‹
        </a>
        <div class="topbar-title term-title">
          <span class="session-name">{session()?.name || session()?.sessionType || "Session"}</span>
          <span class={`conn conn-${conn()}`} data-testid="connection" data-state={conn()}>
            {stateText[conn()]}
          </span>
        </div>
        <Show when={status()}>{(s) => <StatusBadge session={{ status: s(), exitCode: exitCode() }} />}</Show>
        <button type="button" class="icon-btn" aria-label="Menu" onClick={() => setSheet("menu")}>
          ⋯
        </button>
      </header>
      <Show when={error()}>
        <div role="alert">
          <button type="button" class="error banner" onClick={() => setError(null)}>
            {error()}
          </button>
        </div>
      </Show>
      <div class="terminal-wrap">
        <TerminalScreen
          sessionId={props.id}
          fontSize={size()}
          ctrl={ctrl}
          releaseCtrl={() => setCtrl(false)}
          onState={setConn}
          onEvent={onEvent}
          stillRunning={() => refresh().then((s) => s.status !== "exited")}
          ref={(c) => {
            term = c;
          }}
        />
        <Show when={exited()}>
          <div class="exited-bar">
            <span>Process ended{exitCode() !== null ? ` with code ${exitCode()}` : ""}.</span>
            <button type="button" class="primary" onClick={restart}>
              Restart
            </button>
          </div>
        </Show>
      </div>
      <Show when={prompt()}>
        {(p) => (
          <PromptCard
            prompt={p()}
            onAnswer={async (keys) => {
              await api.answerPrompt(props.id, p().id, keys);
              setPrompt(null);
            }}
          />
        )}
      </Show>
      <KeyBar ctrl={ctrl()} onKey={onKey} />

      <Show when={sheet() === "menu"}>
        <Sheet onClose={() => setSheet(null)} title="Session">
          <div class="menu-grid">
            <button type="button" onClick={paste}>
              Paste
            </button>
            <button type="button" onClick={() => setSheet("copy")}>
              Copy text
            </button>
            <button type="button" onClick={() => setSheet("search")}>
              Search
            </button>
            <a class="button" href={`/s/${props.id}/diff`}>
              Diff
            </a>
            <a class="button" href={`/s/${props.id}/preview`}>
              Preview
            </a>
            <button type="button" aria-label="Smaller text" onClick={() => zoom(-1)}>
              A−
            </button>
            <button type="button" aria-label="Larger text" onClick={() => zoom(1)}>
              A+
            </button>
            <Show
              when={exited()}
              fallback={
                <button type="button" onClick={stop}>
                  Stop
                </button>
              }
            >
              <button type="button" onClick={restart}>
                Restart
              </button>
            </Show>
            <button type="button" onClick={() => term?.reconnect()}>
              Reconnect
            </button>
            <button type="button" class="danger" onClick={remove}>
              Delete
            </button>
          </div>
        </Sheet>
      </Show>
      <Show when={sheet() === "copy"}>
        <Sheet onClose={() => setSheet(null)} title="Copy text">
          <CopyView text={term?.text() ?? ""} />
        </Sheet>
      </Show>
      <Show when={sheet() === "paste"}>
        <Sheet onClose={() => setSheet(null)} title="Paste">
          <PasteBox
            onSend={(t) => {
              term?.paste(t);
              setSheet(null);
            }}
          />
        </Sheet>
      </Show>
      <Show when={sheet() === "search"}>
        <Sheet onClose={() => setSheet(null)} title="Search output">
          <SearchBox
            sessionId={props.id}
            find={(q) => term?.find(q) ?? []}
            onPick={(line) => {
              term?.scrollToLine(line);
              setSheet(null);
            }}
          />
        </Sheet>
      </Show>
    </main>
  );
}
