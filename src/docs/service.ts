import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors";
import { openInside, type Root, resolveInside } from "../files";
import { type DocPlace, renderMarkdown, titleOf } from "./render";

export interface DocEntry {
  path: string;
  title: string;
  size: number;
  mtime: string;
  /** Written since the session started. */
  changed: boolean;
}

const SKIP = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "target",
  "out",
  ".next",
  "coverage",
  ".venv",
  "vendor",
]);
const MAX_DOC = 2 * 1024 * 1024;
const MAX_DOCS = 500;

/** How a listed document ranks after "changed": README, agent instructions, docs/, then the rest. */
function rank(path: string): number {
  const p = path.toLowerCase();
  if (/^readme(\.|$)/.test(p)) return 0;
  if (p === "agents.md" || p === "claude.md") return 1;
  if (p.startsWith("docs/")) return 2;
  return 3;
}

function readHead(real: string, max: number): string {
  try {
    const st = lstatSync(real);
    const buf = Buffer.alloc(Math.min(st.size, max));
    const fd = openSync(real, "r");
    try {
      readSync(fd, buf, 0, buf.length, 0);
    } finally {
      closeSync(fd);
    }
    return buf.toString("utf8");
  } catch {
    return "";
  }
}

/** Markdown under the root (depth 5, dependencies and build output skipped); changed since `since` first. */
export function listDocs(root: Root, since: Date | null): DocEntry[] {
  const found: DocEntry[] = [];
  const queue: [string, number][] = [["", 0]];
  while (queue.length && found.length < MAX_DOCS) {
    const [rel, depth] = queue.shift() as [string, number];
    let names: string[];
    try {
      names = readdirSync(join(root.real, rel)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(join(root.real, path));
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 5 && !SKIP.has(name) && !name.startsWith(".")) queue.push([path, depth + 1]);
      } else if (st.isFile() && /\.(md|markdown|mdx)$/i.test(name)) {
        found.push({
          path,
          title: titleOf(readHead(join(root.real, path), 4096), path),
          size: st.size,
          mtime: st.mtime.toISOString(),
          changed: since !== null && st.mtime >= since,
        });
      }
    }
  }
  return found.sort(
    (a, b) =>
      Number(b.changed) - Number(a.changed) ||
      (a.changed ? b.mtime.localeCompare(a.mtime) : 0) ||
      rank(a.path) - rank(b.path) ||
      a.path.localeCompare(b.path),
  );
}

/** One document, rendered; read through the files sandbox. */
export function renderDoc(root: Root, path: string, rootQuery: string) {
  if (!/\.(md|markdown|mdx)$/i.test(path))
    throw new AppError("invalid", "path: a Markdown file (.md)", [{ path: "path", message: "a Markdown file (.md)" }]);
  const r = resolveInside(root, path);
  const fd = openInside(root, r);
  let source: string;
  try {
    const st = fstatSync(fd);
    if (st.size > MAX_DOC) throw new AppError("too_large", "document over 2 MB");
    const buf = Buffer.alloc(st.size);
    readSync(fd, buf, 0, st.size, 0);
    source = buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
  const place: DocPlace = { path: r.path, rootQuery };
  return { path: r.path, title: titleOf(source, r.path), html: renderMarkdown(source, place) };
}
