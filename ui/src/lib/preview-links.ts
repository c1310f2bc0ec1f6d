import type { IDisposable, ILink, Terminal } from "@xterm/xterm";
import { previewApi } from "./preview-api";
import { navigate } from "./router";

/** `http://localhost:<port>` and `127.0.0.1`, `0.0.0.0`, `[::1]` alike, with the path that follows. */
const LOCAL_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):(\d{1,5})((?:[/?#][^\s"'<>`)\]]*)?)/g;
/** How long an answer about the session's ports is trusted. */
const FRESH_MS = 3000;

/** The Preview screen on `port`, opened at `path` (what the link printed after the port). */
export function previewScreenPath(sessionId: string, port: number, path: string): string {
  const at = path && path !== "/" ? `&path=${encodeURIComponent(path.startsWith("/") ? path : `/${path}`)}` : "";
  return `/s/${encodeURIComponent(sessionId)}/preview?port=${port}${at}`;
}

/** The ports the session's own processes listen on, asked of the server again once stale. */
function ownedPorts(sessionId: string) {
  let owned: Set<number> | null = null;
  let at = 0;
  let pending: Promise<Set<number>> | null = null;
  const refresh = () => {
    pending ??= previewApi
      .ports(sessionId)
      .then((ports) => new Set(ports.filter((p) => p.source !== "output").map((p) => p.port)))
      // No answer (the preview panel off, the server away): nothing is the session's.
      .catch(() => new Set<number>())
      .then((s) => {
        owned = s;
        at = Date.now();
        pending = null;
        return s;
      });
    return pending;
  };
  const fresh = () => owned !== null && Date.now() - at < FRESH_MS;
  return {
    /** Asks again in the background once the answer is stale. */
    refresh: () => {
      if (!fresh()) void refresh();
    },
    /** A fresh answer: the cached one, or the one being asked for (a dev server may have just started). */
    get: async () => (fresh() && owned ? owned : refresh()),
  };
}

const localLinks = (line: string) =>
  [...line.matchAll(LOCAL_URL)].map((m) => {
    const printed = m[0].replace(/[.,;:]+$/, "");
    const path = (m[2] ?? "").slice(0, (m[2] ?? "").length - (m[0].length - printed.length));
    return { index: m.index ?? 0, printed, port: Number(m[1]), path };
  });

/**
 * `http://localhost:<port>` printed in the terminal points at the phone itself: when the session
 * serves that port, the link opens the session's Preview screen on it, at the printed page;
 * any other local address stays a plain link to what was printed.
 */
export function registerPreviewLinks(term: Terminal, sessionId: string): IDisposable {
  const owned = ownedPorts(sessionId);
  return term.registerLinkProvider({
    provideLinks(y, callback) {
      const line = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
      const links: ILink[] = localLinks(line).map((l) => ({
        text: l.printed,
        range: { start: { x: l.index + 1, y }, end: { x: l.index + l.printed.length, y } },
        // Decided when tapped, on an answer at most FRESH_MS old (the browser still counts the tap
        // as the gesture that opens a tab).
        activate: () => {
          void owned.get().then((ports) => {
            if (ports.has(l.port)) navigate(previewScreenPath(sessionId, l.port, l.path));
            else window.open(l.printed, "_blank", "noopener");
          });
        },
      }));
      // A hover or the start of a tap: the answer is likely ready by the time the tap lands.
      if (links.length) owned.refresh();
      callback(links.length ? links : undefined);
    },
  });
}
