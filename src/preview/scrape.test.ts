import { expect, test } from "bun:test";
import { scrapeUrls } from "./scrape";

test("a dev server's coloured banner yields its local URL, the latest first", () => {
  const vite = "  \x1b[32m➜\x1b[39m  \x1b[1mLocal\x1b[22m:   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m\r\n";
  const later = "ready on http://127.0.0.1:3000/app, see https://vite.dev/guide.\r\n";
  const urls = scrapeUrls(vite + later);
  expect(urls.map((u) => [u.url, u.port, u.local])).toEqual([
    ["https://vite.dev/guide", 443, false],
    ["http://127.0.0.1:3000/app", 3000, true],
    ["http://localhost:5173/", 5173, true],
  ]);
});

test("the machine's own name counts as local", () => {
  expect(scrapeUrls("http://devbox:8080/", ["devbox"])[0]?.local).toBe(true);
});
