import { git } from "../diff";

export type ChangeStatus = "added" | "modified" | "deleted" | "renamed" | "copied" | "untracked" | "conflicted";

export interface StatusEntry {
  /** Relative to the repository top level. */
  path: string;
  oldPath?: string;
  status: ChangeStatus;
  staged: boolean;
  unstaged: boolean;
  submodule: boolean;
}

function summarize(xy: string): ChangeStatus {
  const [x = ".", y = "."] = xy;
  if (x === "D" || y === "D") return "deleted";
  if (x === "A") return "added";
  return "modified";
}

/**
 * Parses `git status --porcelain=v2 -z`: ordinary (1), renamed or copied (2, with the original path
 * in the next NUL field), unmerged (u), untracked (?) and ignored (!) records; paths are never quoted.
 */
export function parsePorcelainV2(out: string): StatusEntry[] {
  const fields = out.split("\0");
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const rec = fields[i] ?? "";
    if (!rec || rec.startsWith("#")) continue;
    const kind = rec[0];
    if (kind === "?") {
      entries.push({ path: rec.slice(2), status: "untracked", staged: false, unstaged: true, submodule: false });
      continue;
    }
    if (kind === "!") continue;
    const parts = rec.split(" ");
    const xy = parts[1] ?? "..";
    const submodule = (parts[2] ?? "N").startsWith("S");
    const staged = xy[0] !== ".";
    const unstaged = xy[1] !== ".";
    if (kind === "1") {
      entries.push({ path: parts.slice(8).join(" "), status: summarize(xy), staged, unstaged, submodule });
    } else if (kind === "2") {
      const score = parts[8] ?? "R";
      const oldPath = fields[++i] ?? "";
      entries.push({
        path: parts.slice(9).join(" "),
        oldPath,
        status: score.startsWith("C") ? "copied" : "renamed",
        staged,
        unstaged,
        submodule,
      });
    } else if (kind === "u") {
      entries.push({ path: parts.slice(10).join(" "), status: "conflicted", staged, unstaged, submodule });
    }
  }
  return entries;
}

/** Repository top level for `dir`, or null outside a work tree. */
export async function repoTop(dir: string): Promise<string | null> {
  const r = await git(dir, ["rev-parse", "--show-toplevel"]);
  const top = new TextDecoder().decode(r.stdout).trim();
  return r.code === 0 && top ? top : null;
}

/** The work tree's status (paths relative to `top`), optionally limited to one subdirectory. */
export async function workTreeStatus(top: string, under?: string): Promise<StatusEntry[]> {
  const args = ["-c", "core.quotePath=false", "status", "--porcelain=v2", "-z", "--untracked-files=all", "-M"];
  const r = await git(top, under ? [...args, "--", under] : args);
  if (r.code !== 0) return [];
  return parsePorcelainV2(new TextDecoder().decode(r.stdout));
}
