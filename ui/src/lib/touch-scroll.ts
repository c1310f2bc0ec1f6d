import type { Terminal } from "@xterm/xterm";

/**
 * Finger scrolling for the terminal's history, with momentum, and long-press to select a word.
 * xterm.js 6.0.0 lost its own touch scrolling (fixed only in 6.1 betas), so touches on the
 * terminal are handled here: vertical drags scroll whole lines, horizontal ones are left to the
 * browser (a terminal wider than the phone scrolls sideways).
 */
export function touchScroll(
  el: HTMLElement,
  term: Terminal,
  onSelect: (text: string) => void,
): { stop: () => void; dispose: () => void } {
  let startX = 0;
  let startY = 0;
  let lastY = 0;
  let lastT = 0;
  let velocity = 0;
  let carry = 0;
  let axis: "x" | "y" | null = null;
  let frame = 0;
  let press: ReturnType<typeof setTimeout> | undefined;
  let pressed = false;

  const rowHeight = () => {
    const screen = el.querySelector(".xterm-screen") as HTMLElement | null;
    return Math.max(8, (screen?.clientHeight ?? 0) / term.rows || 16);
  };
  const scrollBy = (px: number) => {
    carry += px;
    const h = rowHeight();
    const lines = Math.trunc(carry / h);
    if (lines) {
      term.scrollLines(lines);
      carry -= lines * h;
    }
  };
  const selectAt = (x: number, y: number) => {
    const screen = el.querySelector(".xterm-screen") as HTMLElement | null;
    if (!screen) return;
    const r = screen.getBoundingClientRect();
    const col = Math.floor(((x - r.left) / r.width) * term.cols);
    const row = Math.floor(((y - r.top) / r.height) * term.rows);
    const buf = term.buffer.active;
    const line = buf.getLine(buf.viewportY + row)?.translateToString(false) ?? "";
    if (!line.trim() || col < 0 || col >= line.length) return;
    let a = col;
    let b = col;
    const word = (c: string | undefined) => c !== undefined && c !== " ";
    if (!word(line[col])) return;
    while (word(line[a - 1])) a--;
    while (word(line[b + 1])) b++;
    term.select(a, buf.viewportY + row, b - a + 1);
    onSelect(term.getSelection());
  };

  const start = (e: TouchEvent) => {
    const t = e.touches[0];
    if (!t || e.touches.length > 1) return;
    cancelAnimationFrame(frame);
    startX = t.clientX;
    startY = lastY = t.clientY;
    lastT = e.timeStamp;
    velocity = 0;
    carry = 0;
    axis = null;
    pressed = false;
    clearTimeout(press);
    press = setTimeout(() => {
      axis = "x"; // a long press is not a scroll
      pressed = true;
      selectAt(startX, startY);
    }, 500);
  };
  const move = (e: TouchEvent) => {
    const t = e.touches[0];
    if (!t) return;
    if (axis === null) {
      const dx = Math.abs(t.clientX - startX);
      const dy = Math.abs(t.clientY - startY);
      if (dx < 6 && dy < 6) return;
      clearTimeout(press);
      axis = dy >= dx ? "y" : "x";
    }
    if (axis !== "y") return;
    e.preventDefault();
    e.stopPropagation();
    const dy = lastY - t.clientY;
    const dt = Math.max(1, e.timeStamp - lastT);
    velocity = 0.8 * (dy / dt) + 0.2 * velocity;
    lastY = t.clientY;
    lastT = e.timeStamp;
    pan(dy);
  };
  // A screen taller than the phone's (sized for another device) scrolls itself first, then the history.
  const pan = (dy: number) => {
    const room = dy > 0 ? el.scrollHeight - el.clientHeight - el.scrollTop : -el.scrollTop;
    const inner = dy > 0 ? Math.min(dy, Math.max(0, room)) : Math.max(dy, Math.min(0, room));
    if (inner) el.scrollTop += inner;
    scrollBy(dy - inner);
  };
  const end = (e: TouchEvent) => {
    clearTimeout(press);
    if (pressed) {
      // no synthesized click: xterm would take it as a tap that clears the selection
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (axis !== "y") return;
    e.stopPropagation();
    let v = velocity * 16; // px per frame
    const glide = () => {
      if (Math.abs(v) < 0.5) return;
      pan(v);
      v *= 0.95;
      frame = requestAnimationFrame(glide);
    };
    frame = requestAnimationFrame(glide);
  };

  const opts = { capture: true, passive: false } as const;
  el.addEventListener("touchstart", start, opts);
  el.addEventListener("touchmove", move, opts);
  el.addEventListener("touchend", end, opts);
  el.addEventListener("touchcancel", end, opts);
  return {
    /** Ends a glide at once ("jump to live"). */
    stop: () => cancelAnimationFrame(frame),
    dispose: () => {
      cancelAnimationFrame(frame);
      clearTimeout(press);
      el.removeEventListener("touchstart", start, opts);
      el.removeEventListener("touchmove", move, opts);
      el.removeEventListener("touchend", end, opts);
      el.removeEventListener("touchcancel", end, opts);
    },
  };
}
