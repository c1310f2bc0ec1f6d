import type { IDisposable, ILink, Terminal } from "@xterm/xterm";
import { previewApi } from "./preview-api";
import { navigate } from "./router";

/** `http://localhost:<port>` and `127.0.0.1`, `0.0.0.0`, `[::1]` alike, with the path that follows. */
const LOCAL_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):(\d{1,5})((?:[/?#][^\s"'<>`)\]]*)?)/g;
/** The same without the g flag, whose lastIndex a test() would leave for the next matchAll() to start at. */
const HAS_LOCAL_URL = new RegExp(LOCAL_URL.source);
/**
 * How long "the session does not serve this port" is trusted without asking again. "It does" is trusted
 * until the next answer: a tap on a port closed since lands on the Preview screen, which says so.
 */
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
  const ask = () => {
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
    /** Asks again in the background once the answer is stale. */
    refresh: () => {
      if (owned === null || Date.now() - at >= FRESH_MS) void ask();
    },
    /** What the cached answer says of `port` right now, or undefined when it is too old to go on. */
    known: (port: number): boolean | undefined => {
      if (owned === null) return undefined;
      if (owned.has(port)) return true;
      return Date.now() - at < FRESH_MS ? false : undefined;
    },
    /** A fresh answer (a dev server may have just started). */
    ask,
  };
}

/**
 * Opens `url` in a new tab within the tap: the tab is opened before any await, as iOS Safari and
 * popup blockers only allow in the tap's own task. `decide` says where it goes, or null to close it.
 */
function openFromTap(decide: Promise<string | null>) {
  const tab = window.open("about:blank", "_blank");
  if (tab) tab.opener = null;
  void decide.then((url) => {
    if (!tab) {
      if (url) window.open(url, "_blank", "noopener");
    } else if (url) tab.location.href = url;
    else tab.close();
  });
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
  // A dev server prints its address once it listens: ask then (replayed output too), so a tap on it is
  // decided at once.
  const printed = term.onLineFeed(() => {
    const buf = term.buffer.active;
    const line = buf.getLine(buf.baseY + buf.cursorY - 1)?.translateToString(true) ?? "";
    if (HAS_LOCAL_URL.test(line)) owned.refresh();
  });
  const links = term.registerLinkProvider({
    provideLinks(y, callback) {
      const line = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
      const links: ILink[] = localLinks(line).map((l) => ({
        text: l.printed,
        range: { start: { x: l.index + 1, y }, end: { x: l.index + l.printed.length, y } },
        // Decided in the tap itself when the cached answer is good enough; else a tab is opened at once
        // and pointed at the printed page, or closed for the Preview screen, once the server answers.
        activate: () => {
          const here = () => navigate(previewScreenPath(sessionId, l.port, l.path));
          const known = owned.known(l.port);
          if (known === true) here();
          else if (known === false) window.open(l.printed, "_blank", "noopener");
          else
            openFromTap(
              owned.ask().then((ports) => {
                if (!ports.has(l.port)) return l.printed;
                here();
                return null;
              }),
            );
        },
      }));
      // A hover or the start of a tap: the answer is likely ready by the time the tap lands.
      if (links.length) owned.refresh();
      callback(links.length ? links : undefined);
    },
  });
  return {
    dispose: () => {
      printed.dispose();
      links.dispose();
    },
  };
}
