import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { ComposeBar } from "../components/ComposeBar";
import { ConnectionBanner } from "../components/ConnectionBanner";
import { type Key, KeyBar } from "../components/KeyBar";
import { KeyBarEditor } from "../components/KeyBarEditor";
import { LimitCard } from "../components/LimitCard";
import { LlmUsage } from "../components/LlmUsage";
import { McpCalls } from "../components/McpCalls";
import { NotFound } from "../components/NotFound";
import { PromptCard } from "../components/PromptCard";
import { SessionTabs } from "../components/SessionTabs";
import { Sheet } from "../components/Sheet";
import { StatusBadge } from "../components/StatusBadge";
import { SwitchAccount } from "../components/SwitchAccount";
import { type TerminalController, TerminalScreen } from "../components/TerminalScreen";
import { CopyView, PasteBox, SearchBox } from "../components/TerminalTools";
import { Transcript, type TranscriptTools } from "../components/Transcript";
import { msg, t } from "../i18n";
import { ApiError, api, errorText } from "../lib/api";
import { endedSentence } from "../lib/ended";
import { DEFAULT_ORDER, type KeyId, keybarPrefs } from "../lib/keybar-keys";
import { arrow } from "../lib/keys";
import { navigate } from "../lib/router";
import { fontSize as savedFontSize, setFontSize as saveFontSize } from "../lib/storage";
import type { ConnectionState, ServerFrame } from "../lib/terminal-socket";
import type { Prompt, Session, SessionStatus } from "../lib/types";
import "../terminal.css";

const stateText: Record<ConnectionState, string> = {
  connecting: msg("connecting…"),
  open: msg("live"),
  offline: msg("offline — input is queued"),
  reconnecting: msg("reconnecting…"),
  exited: msg("ended"),
  closed: msg("closed"),
};

/** Agents that read an image from a path in their prompt. */
const IMAGE_AGENTS = new Set(["claude", "gemini", "qwen-code", "codex"]);

export function Terminal(props: { id: string }) {
  const [session, setSession] = createSignal<Session | null>(null);
  const [status, setStatus] = createSignal<SessionStatus | null>(null);
  const [exitCode, setExitCode] = createSignal<number | null>(null);
  const [conn, setConn] = createSignal<ConnectionState>("connecting");
  const [prompt, setPrompt] = createSignal<Prompt | null>(null);
  const [ctrl, setCtrl] = createSignal(false);
  const [alt, setAlt] = createSignal(false);
  const [keyOrder, setKeyOrder] = createSignal<KeyId[]>(DEFAULT_ORDER);
  const [queued, setQueued] = createSignal(0);
  const [missing, setMissing] = createSignal(false);
  const [sheet, setSheet] = createSignal<"menu" | "search" | "copy" | "paste" | "keys" | "mcp" | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [size, setSize] = createSignal(savedFontSize());
  let term: TerminalController | undefined;
  /** The screen on show, live or the transcript: what Copy text and Search read. */
  let shown: TranscriptTools | undefined;
  /** Opened after it ended: a read-only transcript at its own size, until restarted. */
  const [transcript, setTranscript] = createSignal<boolean | null>(null);

  const refresh = async () => {
    const s = await api.session(props.id);
    setSession(s);
    if (transcript() === null) {
      setTranscript(s.status === "exited");
      if (s.status === "exited") setConn("exited");
    }
    setStatus(s.status);
    setExitCode(s.exitCode);
    return s;
  };

  onMount(() => {
    refresh().catch((err) =>
      err instanceof ApiError && err.status === 404 ? setMissing(true) : setError(errorText(err)),
    );
    keybarPrefs.get().then(setKeyOrder, () => {});
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
    if (key.action === "alt") return setAlt(!alt());
    // Alt sends ESC before the key, as terminals' "meta sends escape" does.
    const meta = alt() ? "\x1b" : "";
    setAlt(false);
    if (key.action === "home" || key.action === "end") {
      const c = key.action === "home" ? "H" : "F";
      term.send(meta + (term.applicationCursor() ? `\x1bO${c}` : `\x1b[${c}`));
    } else if (key.action) {
      const dir = ({ up: "A", down: "B", right: "C", left: "D" } as const)[key.action];
      term.send(meta + arrow(dir, term.applicationCursor()));
    } else if (key.send) {
      if (ctrl() && key.send.length === 1 && key.send >= " ") {
        setCtrl(false);
        term.send(meta + String.fromCharCode(key.send.charCodeAt(0) & 0x1f));
      } else term.send(meta + key.send);
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
    if (!confirm(t("Stop this session? Its process ends; the transcript stays."))) return;
    await api.stop(props.id);
    await refresh();
  });
  const restart = act(async () => {
    await api.start(props.id);
    await refresh();
    setTranscript(false);
    term?.reconnect();
  });
  const remove = act(async () => {
    if (!confirm(t("Delete this session? Its process is stopped."))) return;
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
    <Show when={!missing()} fallback={<NotFound what="session" />}>
      <main class="page terminal-page">
        <header class="topbar">
          <a class="icon-btn" href="/" aria-label={t("Back")}>
            ‹
          </a>
          <div class="topbar-title term-title">
            <span class="session-name">{session()?.name || session()?.sessionType || t("Session")}</span>
            <Show when={session()?.model}>
              <span class="session-model" data-testid="session-model">
                {session()?.model}
              </span>
            </Show>
            <span class={`conn conn-${conn()}`} data-testid="connection" data-state={conn()}>
              {t(stateText[conn()])}
            </span>
          </div>
          <Show when={status()}>
            {(s) => <StatusBadge session={{ ...session(), status: s(), exitCode: exitCode() }} />}
          </Show>
          <button type="button" class="icon-btn" aria-label={t("Menu")} onClick={() => setSheet("menu")}>
            ⋯
          </button>
        </header>
        <SessionTabs id={props.id} current="terminal" />
        <Show when={error()}>
          <div role="alert">
            <button type="button" class="error banner" onClick={() => setError(null)}>
              {error()}
            </button>
          </div>
        </Show>
        <ConnectionBanner state={conn()} queued={queued()} onRetry={() => term?.reconnect()} />
        <div class="terminal-wrap">
          <Show when={transcript()}>
            <Transcript
              sessionId={props.id}
              cols={session()?.cols ?? 80}
              rows={session()?.rows ?? 24}
              fontSize={size()}
              ref={(tools) => {
                shown = tools;
              }}
            />
          </Show>
          <Show when={transcript() === false}>
            <TerminalScreen
              sessionId={props.id}
              fontSize={size()}
              ctrl={ctrl}
              alt={alt}
              releaseCtrl={() => {
                setCtrl(false);
                setAlt(false);
              }}
              onState={setConn}
              onQueue={setQueued}
              onEvent={onEvent}
              stillRunning={() => refresh().then((s) => s.status !== "exited")}
              ref={(c) => {
                term = c;
                shown = c;
              }}
            />
          </Show>
          <Show when={exited()}>
            <div class="exited-bar">
              <span data-testid="ended">{endedSentence({ ...session(), status: "exited", exitCode: exitCode() })}</span>
              <a href={api.transcriptUrl(props.id)} download="" data-testid="transcript">
                {t("Transcript")}
              </a>
              <button type="button" class="primary" onClick={restart}>
                {t("Restart")}
              </button>
            </div>
          </Show>
        </div>
        <Show when={session()?.sessionType === "claude" && !exited() && session()?.claudeAccountId}>
          {(accountId) => (
            <LimitCard
              sessionId={props.id}
              accountId={accountId()}
              onSwitched={() => {
                void refresh();
                term?.reconnect();
              }}
            />
          )}
        </Show>
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
        <Show when={!transcript()}>
          <ComposeBar
            sessionId={props.id}
            typesImagePath={IMAGE_AGENTS.has(session()?.sessionType ?? "")}
            onSend={(text) => {
              term?.paste(text);
              term?.send("\r");
            }}
            onTypePath={(path) => term?.paste(`${path} `)}
          />
          <KeyBar order={keyOrder()} ctrl={ctrl()} alt={alt()} onKey={onKey} onEdit={() => setSheet("keys")} />
        </Show>
        <Show when={sheet() === "keys"}>
          <Sheet onClose={() => setSheet(null)} title={t("Key bar")}>
            <KeyBarEditor
              order={keyOrder()}
              onSave={async (order) => {
                setKeyOrder(await keybarPrefs.save(order));
                setSheet(null);
              }}
            />
          </Sheet>
        </Show>

        <Show when={sheet() === "menu"}>
          <Sheet onClose={() => setSheet(null)} title={t("Session")}>
            <Show when={session()?.llmProviderId}>
              <LlmUsage sessionId={props.id} />
            </Show>
            {/* An ended session takes no input, serves nothing and has no stream: no Paste, Preview or Reconnect. */}
            <div class="menu-grid">
              <Show when={!exited()}>
                <button type="button" onClick={paste}>
                  {t("Paste")}
                </button>
              </Show>
              <button type="button" onClick={() => setSheet("copy")}>
                {t("Copy text")}
              </button>
              <button type="button" onClick={() => setSheet("search")}>
                {t("Search")}
              </button>
              <a class="button" href={`/s/${props.id}/diff`}>
                {t("Diff")}
              </a>
              <Show when={!exited()}>
                <a class="button" href={`/s/${props.id}/preview`}>
                  {t("Preview")}
                </a>
              </Show>
              <Show when={session()?.sessionType !== "terminal"}>
                <button type="button" onClick={() => setSheet("mcp")}>
                  {t("Tool calls")}
                </button>
              </Show>
              <button type="button" aria-label={t("Smaller text")} onClick={() => zoom(-1)}>
                A−
              </button>
              <button type="button" aria-label={t("Larger text")} onClick={() => zoom(1)}>
                A+
              </button>
              <Show
                when={exited()}
                fallback={
                  <button type="button" onClick={stop}>
                    {t("Stop")}
                  </button>
                }
              >
                <button type="button" onClick={restart}>
                  {t("Restart")}
                </button>
              </Show>
              <Show when={!exited()}>
                <button type="button" onClick={() => term?.reconnect()}>
                  {t("Reconnect")}
                </button>
              </Show>
              <button type="button" class="danger" onClick={remove}>
                {t("Delete")}
              </button>
            </div>
            <Show when={session()?.sessionType === "claude"}>
              <SwitchAccount
                sessionId={props.id}
                accountId={session()?.claudeAccountId}
                onDone={() => {
                  setSheet(null);
                  void refresh();
                  term?.reconnect();
                }}
              />
            </Show>
          </Sheet>
        </Show>
        <Show when={sheet() === "mcp"}>
          <Sheet onClose={() => setSheet(null)} title={t("Tool calls")}>
            <McpCalls sessionId={props.id} />
          </Sheet>
        </Show>
        <Show when={sheet() === "copy"}>
          <Sheet onClose={() => setSheet(null)} title={t("Copy text")}>
            <CopyView text={shown?.text() ?? ""} />
          </Sheet>
        </Show>
        <Show when={sheet() === "paste"}>
          <Sheet onClose={() => setSheet(null)} title={t("Paste")}>
            <PasteBox
              onSend={(t) => {
                term?.paste(t);
                setSheet(null);
              }}
            />
          </Sheet>
        </Show>
        <Show when={sheet() === "search"}>
          <Sheet onClose={() => setSheet(null)} title={t("Search output")}>
            <SearchBox
              sessionId={props.id}
              find={(q) => shown?.find(q) ?? []}
              onPick={(line) => {
                shown?.scrollToLine(line);
                setSheet(null);
              }}
            />
          </Sheet>
        </Show>
      </main>
    </Show>
  );
}
