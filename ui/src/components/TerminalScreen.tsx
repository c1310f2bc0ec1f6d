import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n";
import { api, wsUrl } from "../lib/api";
import { withCtrl } from "../lib/keys";
import { type ConnectionState, type ServerFrame, TerminalSocket } from "../lib/terminal-socket";
import { touchScroll } from "../lib/touch-scroll";
import type { TerminalHandle } from "../lib/xterm";

/** Enough output to rebuild an agent's screen without replaying hours of it over mobile data. */
const FIRST_REPLAY_BYTES = 256 * 1024;
const SNAPSHOT_SCROLLBACK = 1000;

export interface TerminalController {
  send: (data: string) => void;
  paste: (text: string) => void;
  focus: () => void;
  setFontSize: (size: number) => void;
  applicationCursor: () => boolean;
  text: () => string;
  find: (q: string) => { line: number; text: string }[];
  scrollToLine: (line: number) => void;
  reconnect: () => void;
  queued: () => number;
}

interface Size {
  cols: number;
  rows: number;
}

export function TerminalScreen(props: {
  sessionId: string;
  fontSize: number;
  ctrl: () => boolean;
  alt: () => boolean;
  releaseCtrl: () => void;
  onState: (s: ConnectionState) => void;
  onQueue?: (count: number) => void;
  onEvent: (e: ServerFrame) => void;
  stillRunning: () => Promise<boolean>;
  ref: (c: TerminalController) => void;
}) {
  let el!: HTMLDivElement;
  let handle: TerminalHandle | null = null;
  let socket: TerminalSocket | null = null;
  let disposed = false;
  // The PTY's size belongs to one device at a time; this one renders it as it is until it owns it.
  const [owner, setOwner] = createSignal(true);
  const [scrolledUp, setScrolledUp] = createSignal(false);
  const [picked, setPicked] = createSignal<string | null>(null);
  let fit: (ask?: boolean) => void = () => {};
  let live: () => void = () => {};
  /** Output the screen skipped while it lagged behind a flood (loadable from the server's log). */
  const [skipped, setSkipped] = createSignal<{ from: number; to: number } | null>(null);

  onMount(async () => {
    const [{ createTerminal }, { registerPreviewLinks }, session, snapshot] = await Promise.all([
      import("../lib/xterm"),
      import("../lib/preview-links"),
      api.session(props.sessionId).catch(() => null),
      // The server's own rendering of the screen: the first paint without replaying the raw output.
      api.screenAnsi(props.sessionId, SNAPSHOT_SCROLLBACK).catch(() => null),
    ]);
    if (disposed) return;
    handle = createTerminal(el, props.fontSize);
    const h = handle;
    const term = h.term;
    registerPreviewLinks(term, props.sessionId);
    const show = (size: Size) => {
      if (term.cols !== size.cols || term.rows !== size.rows) term.resize(size.cols, size.rows);
    };
    // The server's snapshot was drawn at the PTY's size: paint it at that size, never reflowed.
    const first = h.proposed();
    if (snapshot) show(snapshot);
    else if (first) show(first);
    if (snapshot) term.write(snapshot.data);
    const onEvent = (e: ServerFrame) => {
      if (e.type === "size") {
        setOwner(e.owner);
        show(e);
      }
      props.onEvent(e);
    };
    socket = new TerminalSocket({
      url: (p) => wsUrl(`/api/sessions/${encodeURIComponent(props.sessionId)}/ws`, p),
      firstSince: session ? Math.max(0, session.cursor - FIRST_REPLAY_BYTES) : undefined,
      startCursor: snapshot?.byteCursor,
      onOutput: (bytes) => term.write(bytes),
      onReset: () => term.reset(),
      onSkipped: (from, to) => setSkipped((s) => ({ from: s?.from ?? from, to })),
      onEvent,
      onState: props.onState,
      onQueue: props.onQueue,
      stillRunning: props.stillRunning,
    });
    const s = socket;
    term.onData((data) => {
      if (props.ctrl() || props.alt()) {
        const meta = props.alt() ? "\x1b" : "";
        data = meta + (props.ctrl() ? withCtrl(data) : data);
        props.releaseCtrl();
      }
      s.send(data);
    });
    fit = (ask = false) => {
      const size = h.proposed();
      if (!size) return;
      // Only the owner resizes at once; anyone else just says what it would fit and waits.
      if (owner() || ask) show(size);
      s.resize(size.cols, size.rows, ask);
    };
    fit();
    socket.connect();

    const onScroll = () => {
      const buf = term.buffer.active;
      setScrolledUp(buf.viewportY < buf.baseY);
    };
    term.onScroll(onScroll);
    term.onWriteParsed(onScroll);
    const touch = touchScroll(el, term, (text) => setPicked(text || null));
    live = () => {
      touch.stop();
      term.scrollToBottom();
      setScrolledUp(false);
    };
    term.onSelectionChange(() => {
      if (!term.hasSelection()) setPicked(null);
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    const ro = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => fit(), 120);
    });
    ro.observe(el);
    onCleanup(() => {
      clearTimeout(timer);
      ro.disconnect();
      touch.dispose();
    });

    props.ref({
      send: (d) => s.send(d),
      paste: (text) => {
        const body = text.replace(/\r?\n/g, "\r");
        socket?.send(term.modes.bracketedPasteMode ? `\x1b[200~${body}\x1b[201~` : body);
      },
      focus: () => term.focus(),
      setFontSize: (size) => {
        term.options.fontSize = size;
        fit();
      },
      applicationCursor: () => term.modes.applicationCursorKeysMode,
      text: () => h.text(),
      find: (q) => h.find(q),
      scrollToLine: (line) => h.scrollToLine(line),
      reconnect: () => socket?.retry(),
      queued: () => socket?.queued ?? 0,
    });
  });

  onCleanup(() => {
    disposed = true;
    socket?.dispose();
    handle?.dispose();
  });

  const copy = async () => {
    const text = picked();
    if (text) await navigator.clipboard?.writeText(text).catch(() => {});
    setPicked(null);
  };

  const loadSkipped = async () => {
    const range = skipped();
    if (!range) return;
    const blob = await api.outputRange(props.sessionId, range.from, range.to);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `opendray-${props.sessionId}-${range.from}-${range.to}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    setSkipped(null);
  };

  return (
    <div class="terminal-box">
      <Show when={skipped()}>
        {(range) => (
          <div class="terminal-skipped" data-testid="terminal-skipped">
            {t("{mb} MB skipped —", { mb: ((range().to - range().from) / 1e6).toFixed(1) })}{" "}
            <button type="button" onClick={() => void loadSkipped()}>
              {t("load it")}
            </button>
          </div>
        )}
      </Show>
      <Show when={!owner()}>
        <div class="size-banner" data-testid="size-banner">
          <span>{t("Sized for another device")}</span>
          <button type="button" class="primary small" onMouseDown={(e) => e.preventDefault()} onClick={() => fit(true)}>
            {t("Fit here")}
          </button>
        </div>
      </Show>
      <div
        class="terminal-screen"
        classList={{ foreign: !owner() }}
        ref={el}
        data-testid="terminal"
        data-owner={owner() ? "yes" : "no"}
      />
      <Show when={picked()}>
        <button type="button" class="copy-chip" onMouseDown={(e) => e.preventDefault()} onClick={copy}>
          {t("Copy “{text}”", { text: (picked() ?? "").slice(0, 24) })}
        </button>
      </Show>
      <Show when={scrolledUp()}>
        <button type="button" class="jump-live" onMouseDown={(e) => e.preventDefault()} onClick={() => live()}>
          {t("↓ Jump to live")}
        </button>
      </Show>
    </div>
  );
}
