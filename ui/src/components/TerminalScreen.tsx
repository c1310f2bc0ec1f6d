import { onCleanup, onMount } from "solid-js";
import { api, wsUrl } from "../lib/api";
import { withCtrl } from "../lib/keys";
import { type ConnectionState, type ServerFrame, TerminalSocket } from "../lib/terminal-socket";
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

export function TerminalScreen(props: {
  sessionId: string;
  fontSize: number;
  ctrl: () => boolean;
  releaseCtrl: () => void;
  onState: (s: ConnectionState) => void;
  onEvent: (e: ServerFrame) => void;
  stillRunning: () => Promise<boolean>;
  ref: (c: TerminalController) => void;
}) {
  let el!: HTMLDivElement;
  let handle: TerminalHandle | null = null;
  let socket: TerminalSocket | null = null;
  let disposed = false;

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
    const term = handle.term;
    registerPreviewLinks(term, props.sessionId);
    handle.fit();
    if (snapshot) term.write(snapshot.data);
    socket = new TerminalSocket({
      url: (p) => wsUrl(`/api/sessions/${encodeURIComponent(props.sessionId)}/ws`, p),
      firstSince: session ? Math.max(0, session.cursor - FIRST_REPLAY_BYTES) : undefined,
      startCursor: snapshot?.byteCursor,
      onOutput: (bytes) => term.write(bytes),
      onReset: () => term.reset(),
      onEvent: props.onEvent,
      onState: props.onState,
      stillRunning: props.stillRunning,
    });
    term.onData((data) => {
      if (props.ctrl()) {
        props.releaseCtrl();
        data = withCtrl(data);
      }
      socket?.send(data);
    });
    term.onResize(({ cols, rows }) => socket?.resize(cols, rows));
    socket.resize(term.cols, term.rows);
    socket.connect();

    let timer: ReturnType<typeof setTimeout> | undefined;
    const ro = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => handle?.fit(), 120);
    });
    ro.observe(el);
    onCleanup(() => {
      clearTimeout(timer);
      ro.disconnect();
    });

    props.ref({
      send: (d) => socket?.send(d),
      paste: (text) => {
        const body = text.replace(/\r?\n/g, "\r");
        socket?.send(term.modes.bracketedPasteMode ? `\x1b[200~${body}\x1b[201~` : body);
      },
      focus: () => term.focus(),
      setFontSize: (size) => {
        term.options.fontSize = size;
        handle?.fit();
      },
      applicationCursor: () => term.modes.applicationCursorKeysMode,
      text: () => {
        const buf = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < buf.length; i++) {
          const line = buf.getLine(i);
          const text = line?.translateToString(true) ?? "";
          // A row that continues the previous one (soft wrap) is the same line of output.
          if (line?.isWrapped && lines.length) lines[lines.length - 1] += text;
          else lines.push(text);
        }
        while (lines.length && !lines[lines.length - 1]) lines.pop();
        return lines.join("\n");
      },
      find: (q) => {
        const buf = term.buffer.active;
        const needle = q.toLowerCase();
        const hits: { line: number; text: string }[] = [];
        for (let i = 0; i < buf.length && hits.length < 200; i++) {
          const text = buf.getLine(i)?.translateToString(true) ?? "";
          if (text.toLowerCase().includes(needle)) hits.push({ line: i, text });
        }
        return hits;
      },
      scrollToLine: (line) => term.scrollToLine(Math.max(0, line - Math.floor(term.rows / 2))),
      reconnect: () => socket?.retry(),
      queued: () => socket?.queued ?? 0,
    });
  });

  onCleanup(() => {
    disposed = true;
    socket?.dispose();
    handle?.dispose();
  });

  return <div class="terminal-screen" ref={el} data-testid="terminal" />;
}
