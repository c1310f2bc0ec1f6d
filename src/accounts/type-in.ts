import type { HookBus } from "../hooks/bus";
import { stripAnsi } from "../sessions/stream";

/** How much of the newest output a wait reads (a TUI's idle hint is on its last lines). */
const TAIL = 16 * 1024;

/**
 * Watches the session's output from now on: resolves true once it matches `ready` (as written, or as
 * text without escapes), false after `timeoutMs`.
 */
export function untilOutput(hooks: HookBus, sessionId: string, ready: RegExp, timeoutMs: number) {
  const decoder = new TextDecoder();
  let raw = "";
  let off = () => {};
  let finish: (matched: boolean) => void = () => {};
  const matched = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    finish = (v) => {
      clearTimeout(timer);
      off();
      resolve(v);
    };
    off = hooks.on("onOutput", (e) => {
      if (e.sessionId !== sessionId) return;
      raw = (raw + decoder.decode(e.data.bytes, { stream: true })).slice(-TAIL);
      // a TUI moves the cursor over blanks (cursor-forward, column) instead of writing them
      // biome-ignore lint/suspicious/noControlCharactersInRegex: reading terminal escapes is the point
      if (ready.test(raw) || ready.test(stripAnsi(raw.replace(/\x1b\[\d*[CG]/g, " ")))) finish(true);
    });
  });
  return { matched, cancel: () => finish(false) };
}

/** Resolves once the session has written nothing for `quietMs` (at most `maxMs` from now). */
export function outputQuiet(hooks: HookBus, sessionId: string, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
    const off = hooks.on("onOutput", (e) => {
      if (e.sessionId !== sessionId) return;
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    function done() {
      clearTimeout(timer);
      clearTimeout(cap);
      off();
      resolve();
    }
  });
}

/**
 * `text` as one bracketed paste: the TUI takes its newlines as part of the message, not as Enter.
 * Escapes and other control characters are dropped, so nothing in it can end the paste early.
 */
export function asPaste(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
  return `\x1b[200~${text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "")}\x1b[201~`;
}
