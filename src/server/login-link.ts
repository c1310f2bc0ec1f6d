import { networkInterfaces } from "node:os";
import { renderUnicodeCompact } from "uqr";
import { isLoopbackHost } from "../config";

const wildcard = (host: string) => host === "0.0.0.0" || host === "::" || host === "";
const bracket = (host: string) => (host.includes(":") ? `[${host}]` : host);

/**
 * The base URLs a browser can reach the server at: the listen host itself, or for a wildcard
 * listen every non-internal IPv4 address of this machine, after 127.0.0.1.
 */
export function reachableUrls(host: string, port: number, https: boolean): string[] {
  const scheme = https ? "https" : "http";
  const hosts = wildcard(host)
    ? [
        "127.0.0.1",
        ...Object.values(networkInterfaces())
          .flat()
          .filter((a) => a && a.family === "IPv4" && !a.internal)
          .map((a) => a?.address as string),
      ]
    : [host];
  return [...new Set(hosts)].map((h) => `${scheme}://${bracket(h)}:${port}`);
}

/**
 * What a first start prints: the one-time link at each address, and for an address beyond this
 * machine a QR code of it, so a phone's camera opens it.
 */
export function loginLinkText(urls: string[], code: string, expiresAt: Date): string {
  const until = expiresAt.toTimeString().slice(0, 5);
  const lines = [
    "",
    `OpenDray is running. Sign in with this one-time link (valid until ${until}, also after a restart; then set a password in Settings):`,
  ];
  for (const url of urls) lines.push(`  ${url}/login#code=${code}`);
  for (const url of urls) {
    if (isLoopbackHost(new URL(url).hostname)) continue;
    lines.push(
      "",
      `Scan to open ${url} on your phone:`,
      renderUnicodeCompact(`${url}/login#code=${code}`, { border: 2 }),
    );
  }
  if (urls.some((u) => u.startsWith("http://") && !isLoopbackHost(new URL(u).hostname)))
    lines.push(
      "",
      "Plain HTTP beyond this machine: install as an app, notifications and the clipboard need HTTPS (see README, Open it on your phone).",
    );
  return `${lines.join("\n")}\n\n`;
}
