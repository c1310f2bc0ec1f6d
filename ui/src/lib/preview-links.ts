import type { ILink, Terminal } from "@xterm/xterm";
import { navigate } from "./router";

const LOCAL_URL = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):(\d{1,5})[^\s"'<>`)]*/g;

/**
 * `http://localhost:<port>` printed in the terminal points at the phone itself: such links open the
 * session's Preview screen on that port instead.
 */
export function registerPreviewLinks(term: Terminal, sessionId: string) {
  return term.registerLinkProvider({
    provideLinks(y, callback) {
      const line = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? "";
      const links: ILink[] = [];
      for (const m of line.matchAll(LOCAL_URL)) {
        const start = (m.index ?? 0) + 1;
        links.push({
          text: m[0],
          range: { start: { x: start, y }, end: { x: start + m[0].length - 1, y } },
          activate: () => navigate(`/s/${encodeURIComponent(sessionId)}/preview?port=${m[1]}`),
        });
      }
      callback(links.length ? links : undefined);
    },
  });
}
