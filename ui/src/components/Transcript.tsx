import { t } from "../i18n";
import "../pages/forms.css";
import { onCleanup, onMount } from "solid-js";
import { wsUrl } from "../lib/api";
import type { TerminalHandle } from "../lib/xterm";
import type { TerminalController } from "./TerminalScreen";

/** What the session menu's Copy text and Search read from the transcript. */
export type TranscriptTools = Pick<TerminalController, "text" | "find" | "scrollToLine">;

/**
 * An ended session's output, read-only, at the size it ran at (a phone's width would re-wrap and
 * garble a full-screen agent's frames); wider than the screen, it scrolls sideways.
 */
export function Transcript(props: {
  sessionId: string;
  cols: number;
  rows: number;
  fontSize: number;
  ref?: (tools: TranscriptTools) => void;
}) {
  let el!: HTMLDivElement;
  let handle: TerminalHandle | undefined;
  let socket: WebSocket | undefined;
  onMount(async () => {
    const { createTerminal } = await import("../lib/xterm");
    handle = createTerminal(el, props.fontSize);
    handle.term.resize(props.cols, props.rows);
    handle.term.options.disableStdin = true;
    handle.term.options.cursorInactiveStyle = "none";
    const h = handle;
    props.ref?.({ text: () => h.text(), find: (q) => h.find(q), scrollToLine: (line) => h.scrollToLine(line) });
    const term = handle.term;
    socket = new WebSocket(wsUrl(`/api/sessions/${encodeURIComponent(props.sessionId)}/ws`, { since: 0 }));
    socket.binaryType = "arraybuffer";
    socket.onmessage = (m) => {
      if (typeof m.data !== "string") return term.write(new Uint8Array(m.data as ArrayBuffer));
      const frame = JSON.parse(m.data) as { type: string };
      if (frame.type === "replay_end") {
        term.write("", () => el.setAttribute("data-loaded", "true"));
        socket?.close();
      }
    };
  });
  onCleanup(() => {
    socket?.close();
    handle?.dispose();
  });
  return (
    <section class="transcript" data-testid="transcript" aria-label={t("Transcript (read-only)")}>
      <div ref={el} class="transcript-term" />
    </section>
  );
}
