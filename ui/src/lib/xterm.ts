// Loaded lazily with the terminal screen: xterm is most of the app's weight.
import { FitAddon } from "@xterm/addon-fit";
import { Unicode11Addon } from "@xterm/addon-unicode11";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";

const dark = {
  background: "#0f1115",
  foreground: "#d8dee9",
  // xterm's default red (#cd3131) is hard to read on the dark background
  red: "#f47067",
  brightRed: "#ff938a",
  cursor: "#e5e9f0",
  selectionBackground: "#3b4252",
  scrollbarSliderBackground: "rgba(255, 255, 255, 0.12)",
};
const light = {
  background: "#fbfbfc",
  foreground: "#1f2328",
  cursor: "#1f2328",
  selectionBackground: "#c8d1dc",
  scrollbarSliderBackground: "rgba(0, 0, 0, 0.12)",
  black: "#24292f",
  brightBlack: "#57606a",
  white: "#8c959f",
  brightWhite: "#6e7781",
  yellow: "#9a6700",
  brightYellow: "#7d4e00",
};

export function createTerminal(el: HTMLElement, fontSize: number) {
  const scheme = window.matchMedia("(prefers-color-scheme: dark)");
  const term = new Terminal({
    fontSize,
    fontFamily: 'ui-monospace, "SF Mono", Menlo, "Cascadia Mono", "Roboto Mono", "DejaVu Sans Mono", monospace',
    scrollback: 5000,
    cursorBlink: false,
    convertEol: false,
    allowProposedApi: true,
    theme: scheme.matches ? dark : light,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  // CJK and emoji take two cells, as the PTY's programs (and the server's screen model) count them.
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = "11";
  term.open(el);
  const onScheme = () => {
    term.options.theme = scheme.matches ? dark : light;
  };
  scheme.addEventListener("change", onScheme);
  return {
    term,
    /** The size that fills the element, or null while it is hidden. */
    proposed: (): { cols: number; rows: number } | null => {
      try {
        const d = fit.proposeDimensions();
        return d && Number.isFinite(d.cols) && Number.isFinite(d.rows) && d.cols > 0
          ? { cols: Math.max(10, d.cols), rows: Math.max(2, d.rows) }
          : null;
      } catch {
        return null;
      }
    },
    /** The whole buffer as text: a row that continues the previous one (soft wrap) is the same line. */
    text: (): string => {
      const buf = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buf.length; i++) {
        const line = buf.getLine(i);
        const text = line?.translateToString(true) ?? "";
        if (line?.isWrapped && lines.length) lines[lines.length - 1] += text;
        else lines.push(text);
      }
      while (lines.length && !lines[lines.length - 1]) lines.pop();
      return lines.join("\n");
    },
    /** The buffer's rows holding `q` (any case), at most 200. */
    find: (q: string): { line: number; text: string }[] => {
      const buf = term.buffer.active;
      const needle = q.toLowerCase();
      const hits: { line: number; text: string }[] = [];
      for (let i = 0; i < buf.length && hits.length < 200; i++) {
        const text = buf.getLine(i)?.translateToString(true) ?? "";
        if (text.toLowerCase().includes(needle)) hits.push({ line: i, text });
      }
      return hits;
    },
    scrollToLine: (line: number) => term.scrollToLine(Math.max(0, line - Math.floor(term.rows / 2))),
    dispose: () => {
      scheme.removeEventListener("change", onScheme);
      term.dispose();
    },
  };
}

export type TerminalHandle = ReturnType<typeof createTerminal>;
