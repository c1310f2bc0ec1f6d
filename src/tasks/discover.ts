import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type TaskSource = "package.json" | "make" | "just" | "script";

export interface Task {
  /** 16 hex characters of sha1(source \0 dir \0 name), stable for the same task in the same directory. */
  id: string;
  source: TaskSource;
  name: string;
  command: string;
}

const MAX_FILE = 1024 * 1024;

export const taskId = (source: string, dir: string, name: string) =>
  createHash("sha1").update(`${source}\0${dir}\0${name}`).digest("hex").slice(0, 16);

/** Quotes a word for sh when it holds anything but safe characters. */
export const shellQuote = (s: string) => (/^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

function readSmall(path: string): string | null {
  try {
    if (statSync(path).size > MAX_FILE) return null;
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** The package manager: the `packageManager` field, else the lockfile, else npm. */
export function packageRunner(dir: string, pkg: { packageManager?: unknown }): string {
  const pm = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : "";
  if (pm && ["npm", "pnpm", "yarn", "bun"].includes(pm)) return pm;
  if (existsSync(join(dir, "bun.lock")) || existsSync(join(dir, "bun.lockb"))) return "bun";
  if (existsSync(join(dir, "pnpm-lock.yaml"))) return "pnpm";
  if (existsSync(join(dir, "yarn.lock"))) return "yarn";
  return "npm";
}

function packageScripts(dir: string): Omit<Task, "id">[] {
  const text = readSmall(join(dir, "package.json"));
  if (!text) return [];
  let pkg: { scripts?: Record<string, unknown>; packageManager?: unknown };
  try {
    pkg = JSON.parse(text);
  } catch {
    return [];
  }
  const runner = packageRunner(dir, pkg);
  return Object.entries(pkg.scripts ?? {})
    .filter(([, v]) => typeof v === "string")
    .map(([name]) => ({ source: "package.json" as const, name, command: `${runner} run ${shellQuote(name)}` }));
}

/** Explicit targets of a Makefile (no pattern rules, no special .TARGETS, no variable assignments). */
export function makeTargets(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9][A-Za-z0-9_./-]*(?:\s+[A-Za-z0-9][A-Za-z0-9_./-]*)*)\s*:(?![=:])/.exec(line);
    if (!m?.[1]) continue;
    for (const t of m[1].split(/\s+/)) if (!t.includes("%")) out.add(t);
  }
  return [...out];
}

/** Recipe names of a justfile (settings, aliases, variables and private _recipes left out). */
export function justRecipes(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (/^(set|alias|export|import|mod)\s/.test(line)) continue;
    const m = /^@?([A-Za-z][A-Za-z0-9_-]*)(\s+[^:]*)?:(?!=)/.exec(line);
    if (m?.[1] && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

function shellScripts(dir: string, sub: string): Omit<Task, "id">[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, sub));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".sh"))
    .sort()
    .map((n) => {
      const rel = sub ? `${sub}/${n}` : n;
      return { source: "script" as const, name: rel, command: `bash ${shellQuote(`./${rel}`)}` };
    });
}

/** Tasks of a project directory: package.json scripts, Makefile targets, justfile recipes, *.sh and scripts/*.sh. */
export function discoverTasks(dir: string): Task[] {
  const found: Omit<Task, "id">[] = [...packageScripts(dir)];
  for (const f of ["GNUmakefile", "makefile", "Makefile"]) {
    const text = readSmall(join(dir, f));
    if (text === null) continue;
    for (const t of makeTargets(text)) found.push({ source: "make", name: t, command: `make ${shellQuote(t)}` });
    break;
  }
  for (const f of ["justfile", "Justfile", ".justfile"]) {
    const text = readSmall(join(dir, f));
    if (text === null) continue;
    for (const r of justRecipes(text)) found.push({ source: "just", name: r, command: `just ${r}` });
    break;
  }
  found.push(...shellScripts(dir, ""), ...shellScripts(dir, "scripts"));
  return found.map((t) => ({ id: taskId(t.source, dir, t.name), ...t }));
}
