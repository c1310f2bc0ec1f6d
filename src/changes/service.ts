import { DIFF_ARGS, git, gitOk, parseBaseline, parseNumstat, snapshotTree } from "../diff";
import { AppError, invalidField } from "../errors";
import { type ChangedFile, parseNameStatusZ, parsePatch } from "./patch";
import { repoTop } from "./status";

export type ChangesMode = "working" | "unstaged" | "staged" | "baseline" | "branch";
export const MODES: ChangesMode[] = ["working", "unstaged", "staged", "baseline", "branch"];

const MAX_PATCH_BYTES = 32 * 1024 * 1024;
const MAX_LINES_PER_FILE = 5000;

export interface ChangesPage {
  mode: ChangesMode;
  /** What the diff is against: a commit, a tree (baseline) or "index" (unstaged). */
  base: string | null;
  total: number;
  offset: number;
  nextOffset: number | null;
  files: ChangedFile[];
}

/** Refs as v1 allowed them: ^[A-Za-z0-9._/-]{1,200}$, no leading `-`, no `..`. */
export function checkRef(ref: string, field = "ref"): string {
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(ref)) throw invalidField(field, "letters, digits, . _ / - only (1–200)");
  if (ref.startsWith("-")) throw invalidField(field, "must not start with -");
  if (ref.includes("..")) throw invalidField(field, "must not contain ..");
  return ref;
}

/** Repository paths: no leading `-`, no `..`, not absolute, no NUL. */
export function checkGitPath(path: string, field = "path"): string {
  if (path.startsWith("-") || path.startsWith("/") || path.includes("..") || path.includes("\0"))
    throw invalidField(field, "a path inside the repository (no leading - or /, no ..)");
  return path;
}

const hasCommit = async (top: string, rev: string) =>
  (await git(top, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`])).code === 0;

async function headOrEmpty(top: string): Promise<string> {
  if (await hasCommit(top, "HEAD")) return "HEAD";
  return (await gitOk(top, ["hash-object", "-t", "tree", "/dev/null"])).trim();
}

/** The branch's base: merge-base with origin/HEAD, else with main, master, origin/main, origin/master. */
export async function branchBase(top: string): Promise<{ ref: string; commit: string }> {
  for (const ref of ["origin/HEAD", "main", "master", "origin/main", "origin/master"]) {
    if (!(await hasCommit(top, checkRef(ref)))) continue;
    const r = await git(top, ["merge-base", "HEAD", ref]);
    const commit = new TextDecoder().decode(r.stdout).trim();
    if (r.code === 0 && commit) return { ref, commit };
  }
  throw new AppError("not_found", "no base branch: neither origin/HEAD, main nor master exists here");
}

async function range(
  top: string,
  mode: ChangesMode,
  baseline: string | null,
): Promise<{ revs: string[]; base: string | null }> {
  switch (mode) {
    case "unstaged":
      return { revs: [], base: "index" };
    case "staged": {
      const head = await headOrEmpty(top);
      return { revs: ["--cached", head], base: head };
    }
    case "working": {
      const head = await headOrEmpty(top);
      return { revs: [head, await snapshotTree(top)], base: head };
    }
    case "baseline": {
      const b = baseline ? parseBaseline(baseline) : null;
      if (!b) throw new AppError("not_found", "this session has no starting snapshot (it began outside a repository)");
      if ((await git(top, ["cat-file", "-e", `${b.tree}^{tree}`])).code !== 0)
        throw new AppError("not_found", "the session's starting snapshot is gone from the repository");
      return { revs: [b.tree, await snapshotTree(top)], base: b.tree };
    }
    case "branch": {
      const { commit } = await branchBase(top);
      return { revs: [commit, await snapshotTree(top)], base: commit };
    }
  }
}

/** Every changed file of the mode with its hunks, a page of files at a time. */
export async function sessionChanges(
  cwd: string,
  opts: { mode: ChangesMode; baseline: string | null; offset: number; limit: number; context: number },
): Promise<ChangesPage> {
  const top = await repoTop(cwd);
  if (!top) throw new AppError("not_found", "this session's directory is not a git repository");
  const { revs, base } = await range(top, opts.mode, opts.baseline);
  const args = [...DIFF_ARGS, `-U${opts.context}`, ...revs];
  const [names, numstat, patch] = await Promise.all([
    gitOk(top, ["-c", "core.quotePath=false", ...args, "--name-status", "-z"]),
    gitOk(top, ["-c", "core.quotePath=false", ...args, "--numstat", "-z"]),
    git(top, ["-c", "core.quotePath=false", ...args], { maxStdout: MAX_PATCH_BYTES }),
  ]);
  if (patch.code !== 0) throw new Error(`git diff failed (${patch.code}): ${patch.stderr.trim()}`);
  const list = parseNameStatusZ(names);
  const counts = parseNumstat(numstat);
  const sections = parsePatch(new TextDecoder().decode(patch.stdout), MAX_LINES_PER_FILE);
  const page = list.slice(opts.offset, opts.offset + opts.limit);
  const files = page.map((f, i): ChangedFile => {
    const c = counts.get(f.path) ?? { additions: 0, deletions: 0, binary: false };
    // A cut patch leaves its last section partial: treat it and everything after as not shown.
    const section = sections[opts.offset + i];
    const complete = section && !(patch.truncated && opts.offset + i >= sections.length - 1);
    return {
      ...f,
      ...c,
      binary: c.binary || (section?.binary ?? false),
      hunks: complete ? section.hunks : null,
      truncated: !complete || section.cut,
    };
  });
  const next = opts.offset + page.length;
  return {
    mode: opts.mode,
    base,
    total: list.length,
    offset: opts.offset,
    nextOffset: next < list.length ? next : null,
    files,
  };
}

/** Read-only history: the last commits (of a ref, touching a path). */
export async function gitLog(cwd: string, opts: { ref?: string; path?: string; limit: number }) {
  const top = await repoTop(cwd);
  if (!top) throw new AppError("not_found", "this session's directory is not a git repository");
  if (opts.ref) checkRef(opts.ref);
  if (opts.path) checkGitPath(opts.path);
  if (!(await hasCommit(top, opts.ref ?? "HEAD"))) return { commits: [] };
  const fmt = "%H%x1f%an%x1f%aI%x1f%s%x1e";
  const args = ["log", `-n${opts.limit}`, `--format=${fmt}`, opts.ref ? checkRef(opts.ref) : "HEAD"];
  if (opts.path) args.push("--", checkGitPath(opts.path));
  const out = await gitOk(top, args);
  const commits = out
    .split("\x1e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [sha = "", author = "", date = "", subject = ""] = r.split("\x1f");
      return { sha, author, date, subject };
    });
  return { commits };
}

/** Read-only: local branches, the current one marked. */
export async function gitBranches(cwd: string) {
  const top = await repoTop(cwd);
  if (!top) throw new AppError("not_found", "this session's directory is not a git repository");
  const out = await gitOk(top, ["for-each-ref", "--format=%(refname:short)%1f%(HEAD)%1f%(objectname)", "refs/heads"]);
  const branches = out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [name = "", head = "", sha = ""] = l.split("\x1f");
      return { name, current: head === "*", sha };
    });
  return { branches };
}
