import { closeSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors";
import { type Root, resolveInside } from "./sandbox";

export const MAX_HITS = 200;
const SEARCH_TIMEOUT_MS = 10_000;
/** Never searched: dependencies, VCS data and build output. */
export const SKIP_DIRS = [
  "node_modules",
  ".git",
  "dist",
  "build",
  "target",
  "out",
  ".next",
  ".nuxt",
  ".svelte-kit",
  "coverage",
  "__pycache__",
  ".venv",
  "venv",
  ".cache",
  ".turbo",
];

export interface SearchHit {
  path: string;
  line?: number;
  text?: string;
}

export interface SearchResult {
  hits: SearchHit[];
  truncated: boolean;
  engine: "ripgrep" | "walk";
}

let rgPath: string | null | undefined;
const ripgrep = () => {
  if (rgPath === undefined) rgPath = Bun.which("rg");
  return rgPath;
};

/** Lines of a child's stdout until `want` returns false; the child is killed then (or at the timeout). */
async function readLines(argv: string[], cwd: string, take: (line: string) => boolean) {
  const proc = Bun.spawn(argv, { cwd, stdin: "ignore", stdout: "pipe", stderr: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), SEARCH_TIMEOUT_MS);
  let stopped = false;
  try {
    const decoder = new TextDecoder();
    let rest = "";
    outer: for await (const chunk of proc.stdout) {
      rest += decoder.decode(chunk, { stream: true });
      let nl = rest.indexOf("\n");
      while (nl >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        if (!take(line)) {
          stopped = true;
          proc.kill();
          break outer;
        }
        nl = rest.indexOf("\n");
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await proc.exited;
  return stopped;
}

const smartCase = (q: string) => (q === q.toLowerCase() ? q.toLowerCase() : null);

async function searchRipgrep(
  rg: string,
  dir: string,
  prefix: string,
  q: string,
  mode: "name" | "content",
  hidden: boolean,
) {
  const globs = SKIP_DIRS.flatMap((d) => ["-g", `!${d}`]);
  const common = [...(hidden ? ["--hidden"] : []), ...globs, "--no-config", "--color", "never"];
  const hits: SearchHit[] = [];
  const full = (p: string) => (prefix ? `${prefix}/${p.replace(/^\.\//, "")}` : p.replace(/^\.\//, ""));
  let truncated: boolean;
  if (mode === "name") {
    const needle = q.toLowerCase();
    truncated = await readLines([rg, "--files", ...common, "."], dir, (line) => {
      const name = line.slice(line.lastIndexOf("/") + 1).toLowerCase();
      if (name.includes(needle)) hits.push({ path: full(line) });
      return hits.length < MAX_HITS;
    });
  } else {
    const args = [rg, ...common, "--null", "--line-number", "--no-heading", "--smart-case", "--fixed-strings"];
    args.push("--max-columns", "300", "--max-columns-preview", "--max-count", "20", "--max-filesize", "5M");
    truncated = await readLines([...args, "-e", q, "--", "."], dir, (line) => {
      const z = line.indexOf("\0");
      if (z < 0) return true;
      const colon = line.indexOf(":", z);
      hits.push({ path: full(line.slice(0, z)), line: Number(line.slice(z + 1, colon)), text: line.slice(colon + 1) });
      return hits.length < MAX_HITS;
    });
  }
  return { hits, truncated, engine: "ripgrep" as const };
}

/** Without ripgrep: a breadth-first walk bounded in entries, bytes and time; symlinks are not followed. */
function searchWalk(dir: string, prefix: string, q: string, mode: "name" | "content", hidden: boolean): SearchResult {
  const deadline = Date.now() + SEARCH_TIMEOUT_MS;
  const lower = smartCase(q);
  const skip = new Set(SKIP_DIRS);
  const hits: SearchHit[] = [];
  const queue: string[] = [""];
  let visited = 0;
  let bytesRead = 0;
  const buf = Buffer.allocUnsafe(2 * 1024 * 1024);
  while (queue.length) {
    const rel = queue.shift() as string;
    let names: string[];
    try {
      names = readdirSync(join(dir, rel));
    } catch {
      continue;
    }
    for (const name of names) {
      if (++visited > 100_000 || Date.now() > deadline || bytesRead > 256 * 1024 * 1024 || hits.length >= MAX_HITS)
        return { hits, truncated: true, engine: "walk" };
      if (!hidden && name.startsWith(".")) continue;
      const path = rel ? `${rel}/${name}` : name;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(join(dir, path));
      } catch {
        continue;
      }
      const shown = prefix ? `${prefix}/${path}` : path;
      if (st.isDirectory()) {
        if (!skip.has(name)) queue.push(path);
        continue;
      }
      if (!st.isFile()) continue;
      if (mode === "name") {
        if (name.toLowerCase().includes(q.toLowerCase())) hits.push({ path: shown });
        continue;
      }
      if (st.size > buf.length) continue;
      let n = 0;
      try {
        const fd = openSync(join(dir, path), "r");
        try {
          n = readSync(fd, buf, 0, buf.length, 0);
        } finally {
          closeSync(fd);
        }
      } catch {
        continue;
      }
      bytesRead += n;
      const bytes = buf.subarray(0, n);
      if (bytes.subarray(0, 8192).includes(0)) continue;
      const lines = bytes.toString("utf8").split("\n");
      let inFile = 0;
      for (let i = 0; i < lines.length && inFile < 20 && hits.length < MAX_HITS; i++) {
        const line = lines[i] as string;
        if (lower !== null ? line.toLowerCase().includes(lower) : line.includes(q)) {
          hits.push({ path: shown, line: i + 1, text: line.slice(0, 300) });
          inFile++;
        }
      }
    }
  }
  return { hits, truncated: hits.length >= MAX_HITS, engine: "walk" };
}

/** Name or content search under `path` of the root: ripgrep when installed, else a bounded walk. */
export async function searchFiles(
  root: Root,
  opts: { q: string; mode: "name" | "content"; path: string; hidden: boolean; engine?: "walk" },
): Promise<SearchResult> {
  const r = resolveInside(root, opts.path);
  if (!r.exists) throw new AppError("not_found", "no such folder");
  const rg = opts.engine === "walk" ? null : ripgrep();
  if (rg) return searchRipgrep(rg, r.real, r.path, opts.q, opts.mode, opts.hidden);
  return searchWalk(r.real, r.path, opts.q, opts.mode, opts.hidden);
}
