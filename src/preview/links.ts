/** `http://localhost:<port>` and `127.0.0.1`, `0.0.0.0`, `[::1]` alike, with the path that follows. */
const LOCAL_LINK = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):(\d{1,5})((?:[/?#][^\s"'<>`)\]]*)?)/g;

export interface PreviewLink {
  port: number;
  /** The link as printed. */
  printed: string;
  /** Where it leads now: the session's Preview screen in OpenDray, opened on that port. */
  url: string;
}

export const hasLocalLink = (text: string) => new RegExp(LOCAL_LINK.source).test(text);

/**
 * The session's Preview screen in OpenDray opened on `port` at `path` (what the link printed after
 * the port, `/some/page?x=1`); `base` is OpenDray's address, "" for a link inside the web app.
 */
export function previewScreenUrl(base: string, sessionId: string, port: number, path: string): string {
  const at = path && path !== "/" ? `&path=${encodeURIComponent(path.startsWith("/") ? path : `/${path}`)}` : "";
  return `${base}/s/${encodeURIComponent(sessionId)}/preview?port=${port}${at}`;
}

/**
 * Local dev-server links in `text` made links to the session's preview, for the ports in `owned`
 * only: any other local address is left as printed (it may be the phone's own, or nobody's).
 * `screenUrl` gets the port and the path, query and fragment the link printed after it.
 */
export function previewLinkText(
  text: string,
  owned: ReadonlySet<number>,
  screenUrl: (port: number, path: string) => string,
): { text: string; links: PreviewLink[] } {
  const links: PreviewLink[] = [];
  const out = text.replace(LOCAL_LINK, (match, port: string, path: string) => {
    const printed = match.replace(/[.,;:]+$/, "");
    if (!owned.has(Number(port))) return match;
    const url = screenUrl(Number(port), path.slice(0, path.length - (match.length - printed.length)));
    if (!links.some((l) => l.url === url)) links.push({ port: Number(port), printed, url });
    return url + match.slice(printed.length);
  });
  return { text: out, links };
}
