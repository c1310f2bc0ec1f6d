/**
 * Prints the compressed size of what a phone downloads: the initial load (index.html + the JS and CSS
 * it references) and the lazily loaded chunks (xterm with the terminal screen). Budgets: initial ≤ 150 KB,
 * the xterm chunk (with the fit and unicode11 addons) ≤ 100 KB.
 * Run after `bun run scripts/build-ui.ts`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

const dist = join(import.meta.dir, "..", "ui", "dist");
if (!existsSync(join(dist, "index.html"))) {
  console.error("ui/dist is missing: run `bun run scripts/build-ui.ts` first");
  process.exit(1);
}

const BUDGET = 150 * 1024;
const sizes = (file: string) => {
  const raw = readFileSync(join(dist, file));
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length, br: brotliCompressSync(raw).length };
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(10);

const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [
  "index.html",
  ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string),
];
const lazy = readdirSync(join(dist, "assets"))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => `assets/${f}`)
  .filter((f) => !initial.includes(f));

function table(title: string, files: string[]) {
  console.log(`\n${title}`);
  console.log(`${"file".padEnd(40)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
  const total = { raw: 0, gzip: 0, br: 0 };
  for (const f of files) {
    const s = sizes(f);
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.br += s.br;
    console.log(`${f.padEnd(40)}${kb(s.raw)}${kb(s.gzip)}${kb(s.br)}`);
  }
  console.log(`${"total".padEnd(40)}${kb(total.raw)}${kb(total.gzip)}${kb(total.br)}`);
  return total;
}

const first = table("Initial load (HTML + JS + CSS)", initial);
table("Lazy chunks (loaded on demand; xterm with the terminal screen)", lazy);
const ok = first.gzip <= BUDGET;
console.log(`\nInitial load gzip ${kb(first.gzip).trim()} / budget ${kb(BUDGET).trim()}: ${ok ? "OK" : "OVER BUDGET"}`);
const TERMINAL_BUDGET = 100 * 1024;
const xterm = lazy.filter((f) => /^assets\/xterm-[^/]+\.js$/.test(f));
const xtermGzip = xterm.reduce((n, f) => n + sizes(f).gzip, 0);
const page = lazy.filter((f) => /^assets\/(xterm|Terminal)-[^/]+\.(js|css)$/.test(f));
const pageGzip = page.reduce((n, f) => n + sizes(f).gzip, 0);
const termOk = xtermGzip <= TERMINAL_BUDGET;
console.log(
  `Terminal chunk (xterm + unicode11) gzip ${kb(xtermGzip).trim()} / budget ${kb(TERMINAL_BUDGET).trim()}: ${termOk ? "OK" : "OVER BUDGET"}; whole terminal page (its JS + CSS) ${kb(pageGzip).trim()}`,
);
if (!ok || !termOk) process.exit(1);
