const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is stripped
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]/g;

const URL_RE = /\bhttps?:\/\/(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:\/[^\s"'<>`)\]]*)?/g;

/** Hosts that mean "this machine" in a dev server's banner. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "[::]"]);

export interface ScrapedUrl {
  url: string;
  host: string;
  port: number;
  local: boolean;
}

/** http(s) URLs printed in terminal output, escape sequences removed, latest first, one per URL. */
export function scrapeUrls(output: string, localNames: string[] = []): ScrapedUrl[] {
  const text = output.replace(ANSI, "");
  const seen = new Set<string>();
  const found: ScrapedUrl[] = [];
  for (const match of [...text.matchAll(URL_RE)].reverse()) {
    const raw = match[0].replace(/[.,;:]+$/, "");
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      continue;
    }
    const host = parsed.hostname.startsWith("[") ? parsed.hostname : parsed.hostname.toLowerCase();
    const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
    const local = LOCAL_HOSTS.has(host) || host.startsWith("127.") || localNames.includes(host);
    if (seen.has(raw)) continue;
    seen.add(raw);
    found.push({ url: raw, host, port, local });
  }
  return found;
}
