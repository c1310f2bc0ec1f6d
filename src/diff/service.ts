import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { AppError } from "../errors";
import { log } from "../log";
import { git, gitOk } from "./git";

export const MAX_DIFF_BYTES = 2 * 1024 * 1024;

export type FileStatus = "added" | "modified" | "deleted" | "renamed";

export interface DiffFile {
  path: string;
  /** The path before a rename. */
  oldPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface SessionDiff {
  baseline: string;
  files: DiffFile[];
  diff: string;
  truncated: boolean;
}

/** What sessions.baseline_sha holds: the repository top level and the tree of its working tree at session start. */
interface Baseline {
  top: string;
  tree: string;
}

/** Repository top level for `cwd`, or null when it is not inside a git work tree. */
async function topLevel(cwd: string): Promise<string | null> {
  const r = await git(cwd, ["rev-parse", "--show-toplevel"]);
  const top = new TextDecoder().decode(r.stdout).trim();
  return r.code === 0 && top ? top : null;
}

/**
 * Tree sha of the whole working tree, untracked non-ignored files included, built in a throwaway index
 * so the user's index, refs and stash stay untouched (only new objects land in the object store).
 */
async function snapshotTree(top: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "opendray-diff-"));
  const index = join(dir, "index");
  const env = { GIT_INDEX_FILE: index };
  try {
    // Starting from a copy of the real index keeps its stat data, so `add -A` rehashes only what changed.
    const indexPath = (await gitOk(top, ["rev-parse", "--git-path", "index"])).trim();
    const copied = await copyFile(isAbsolute(indexPath) ? indexPath : join(top, indexPath), index).then(
      () => true,
      () => false,
    );
    if (!copied && (await git(top, ["rev-parse", "--verify", "--quiet", "HEAD^{tree}"])).code === 0) {
      await gitOk(top, ["read-tree", "HEAD"], env);
    }
    // --ignore-errors: an unreadable file or an embedded repo with no commit is skipped (exit 1), the rest is staged.
    const add = await git(top, ["add", "-A", "--ignore-errors"], { env });
    if (add.code !== 0 && (add.code !== 1 || /^fatal:/m.test(add.stderr))) {
      throw new Error(`git add failed (${add.code}): ${add.stderr.trim()}`);
    }
    return (await gitOk(top, ["write-tree"], env)).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Snapshot taken when a session starts; store the returned text as the session's baseline.
 * Null when `cwd` is not inside a git work tree, or the snapshot failed (logged): the session just has no diff.
 */
export async function captureBaseline(cwd: string): Promise<string | null> {
  try {
    const top = await topLevel(cwd);
    if (!top) return null;
    const tree = await snapshotTree(top);
    return JSON.stringify({ top, tree } satisfies Baseline);
  } catch (e) {
    log.warn("diff baseline not captured", { cwd, error: e });
    return null;
  }
}

function parseBaseline(text: string): Baseline | null {
  try {
    const b = JSON.parse(text) as Partial<Baseline>;
    return typeof b.top === "string" && typeof b.tree === "string" && /^[0-9a-f]{40,64}$/.test(b.tree)
      ? { top: b.top, tree: b.tree }
      : null;
  } catch {
    return null;
  }
}

const DIFF_ARGS = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--src-prefix=a/", "--dst-prefix=b/"];

/** What changed in the session's work tree since `baseline` (from captureBaseline), committed or not. */
export async function sessionDiff(cwd: string, baseline: string): Promise<SessionDiff> {
  const base = parseBaseline(baseline);
  if (!base) throw new AppError("not_found", "this session has no usable diff baseline");
  const top = (await topLevel(base.top)) ?? (await topLevel(cwd));
  if (!top) throw new AppError("not_found", "this session's directory is no longer a git repository");
  if ((await git(top, ["cat-file", "-e", `${base.tree}^{tree}`])).code !== 0) {
    throw new AppError("not_found", "the session's starting snapshot is gone from the repository (garbage-collected?)");
  }
  const now = await snapshotTree(top);
  const [patch, numstat, nameStatus] = await Promise.all([
    git(top, ["-c", "core.quotePath=false", ...DIFF_ARGS, base.tree, now], { maxStdout: MAX_DIFF_BYTES }),
    gitOk(top, [...DIFF_ARGS, "--numstat", "-z", base.tree, now]),
    gitOk(top, [...DIFF_ARGS, "--name-status", "-z", base.tree, now]),
  ]);
  if (patch.code !== 0) throw new Error(`git diff failed (${patch.code}): ${patch.stderr.trim()}`);
  let diff = new TextDecoder().decode(patch.stdout);
  // Cut at a line end so a multi-byte character or a half line never shows.
  if (patch.truncated) diff = diff.slice(0, diff.lastIndexOf("\n") + 1);
  return {
    baseline: base.tree,
    files: mergeFiles(parseNameStatus(nameStatus), parseNumstat(numstat)),
    diff,
    truncated: patch.truncated,
  };
}

/** `--name-status -z`: `M\0path\0`, `R100\0old\0new\0`. */
export function parseNameStatus(out: string) {
  const parts = out.split("\0");
  const files: { path: string; oldPath?: string; status: FileStatus }[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++] ?? "";
    if (!code) continue;
    if (code[0] === "R" || code[0] === "C") {
      const oldPath = parts[i++] ?? "";
      const path = parts[i++] ?? "";
      files.push(code[0] === "R" ? { path, oldPath, status: "renamed" } : { path, status: "added" });
    } else {
      const path = parts[i++] ?? "";
      files.push({ path, status: code[0] === "A" ? "added" : code[0] === "D" ? "deleted" : "modified" });
    }
  }
  return files;
}

/** `--numstat -z`: `add\tdel\tpath\0`, or for a rename `add\tdel\t\0old\0new\0`; binary files count `-`. */
export function parseNumstat(out: string) {
  const parts = out.split("\0");
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  for (let i = 0; i < parts.length; ) {
    const record = parts[i++] ?? "";
    if (!record) continue;
    const [add = "", del = "", ...rest] = record.split("\t");
    let path = rest.join("\t");
    if (!path) {
      i++; // the old path of a rename
      path = parts[i++] ?? "";
    }
    const binary = add === "-" && del === "-";
    counts.set(path, { additions: binary ? 0 : Number(add), deletions: binary ? 0 : Number(del), binary });
  }
  return counts;
}

function mergeFiles(files: ReturnType<typeof parseNameStatus>, counts: ReturnType<typeof parseNumstat>): DiffFile[] {
  return files.map((f) => ({ ...f, ...(counts.get(f.path) ?? { additions: 0, deletions: 0, binary: false }) }));
}
