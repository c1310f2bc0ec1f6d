import type { IDisposable, ILink, Terminal } from "@xterm/xterm";
import { previewApi } from "./preview-api";
import { navigate } from "./router";

/** `http://localhost:<port>` and `127.0.0.1`, `0.0.0.0`, `[::1]` alike, with the path that follows. */
const LOCAL_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):(\d{1,5})((?:[/?#][^\s"'<>`)\]]*)?)/g;
/** How long the session's ports are trusted before a hover or new output asks again. */
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
  return {
    refresh: () => {
      if (Date.now() - at >= FRESH_MS) void refresh();
    },
    /** The latest answer at once (a tap must not wait on the network), or the first one. */
    get: async () => owned ?? refresh(),
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
  void owned.get();
  // A dev server prints its address once it listens: ask again then, before anyone taps it.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const parsed = term.onWriteParsed(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const b = term.buffer.active;
      for (let y = b.viewportY; y < b.viewportY + term.rows; y++) {
        if (localLinks(b.getLine(y)?.translateToString(true) ?? "").length) return owned.refresh();
      }
    }, 300);
  });
  const provider = term.registerLinkProvider({
    provideLinks(y, callback) {
      const line = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
      const links: ILink[] = localLinks(line).map((l) => ({
        text: l.printed,
        range: { start: { x: l.index + 1, y }, end: { x: l.index + l.printed.length, y } },
        activate: () => {
          void owned.get().then((ports) => {
            if (ports.has(l.port)) navigate(previewScreenPath(sessionId, l.port, l.path));
            else window.open(l.printed, "_blank", "noopener");
          });
        },
      }));
      if (links.length) owned.refresh();
      callback(links.length ? links : undefined);
    },
  });
  return {
    dispose: () => {
      clearTimeout(timer);
      parsed.dispose();
      provider.dispose();
    },
  };
}
