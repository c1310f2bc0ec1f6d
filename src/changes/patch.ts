import type { ChangeStatus } from "./status";

export interface DiffLine {
  /** add, del, ctx, or meta for "\ No newline at end of file". */
  type: "add" | "del" | "ctx" | "meta";
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The function or section name git prints after the range, if any. */
  header: string;
  lines: DiffLine[];
}

export interface ChangedFile {
  path: string;
  oldPath: string | null;
  status: ChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  /** null when the patch was cut before this file (too large), with truncated set. */
  hunks: Hunk[] | null;
  truncated: boolean;
}

/** `--name-status -z`: `M\0path\0`, `R100\0old\0new\0`, `C75\0src\0copy\0`. */
export function parseNameStatusZ(out: string) {
  const parts = out.split("\0");
  const files: { path: string; oldPath: string | null; status: ChangeStatus }[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++] ?? "";
    if (!code) continue;
    const kind = code[0];
    if (kind === "R" || kind === "C") {
      const oldPath = parts[i++] ?? "";
      files.push({ path: parts[i++] ?? "", oldPath, status: kind === "R" ? "renamed" : "copied" });
    } else {
      const status: ChangeStatus =
        kind === "A" ? "added" : kind === "D" ? "deleted" : kind === "U" ? "conflicted" : "modified";
      files.push({ path: parts[i++] ?? "", oldPath: null, status });
    }
  }
  return files;
}

/** Splits a unified patch into per-file hunk lists, in the order git printed the files. */
export function parsePatch(patch: string, maxLinesPerFile: number): { hunks: Hunk[]; binary: boolean; cut: boolean }[] {
  const out: { hunks: Hunk[]; binary: boolean; cut: boolean }[] = [];
  let file: { hunks: Hunk[]; binary: boolean; cut: boolean; lines: number } | null = null;
  let hunk: Hunk | null = null;
  let oldNo = 0;
  let newNo = 0;
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("diff --git ") || line.startsWith("diff --cc ")) {
      file = { hunks: [], binary: false, cut: false, lines: 0 };
      out.push(file);
      hunk = null;
      continue;
    }
    if (!file) continue;
    if (line.startsWith("@@")) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/.exec(line);
      if (!m) continue;
      oldNo = Number(m[1]);
      newNo = Number(m[3]);
      hunk = {
        oldStart: oldNo,
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: newNo,
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        header: m[5] ?? "",
        lines: [],
      };
      if (file.lines >= maxLinesPerFile) file.cut = true;
      else file.hunks.push(hunk);
      continue;
    }
    if (!hunk) {
      if (line.startsWith("Binary files ") || line === "GIT binary patch") file.binary = true;
      continue;
    }
    if (file.cut) continue;
    if (++file.lines > maxLinesPerFile) {
      file.cut = true;
      continue;
    }
    const sign = line[0];
    const text = line.slice(1);
    if (sign === "+") hunk.lines.push({ type: "add", text, oldLine: null, newLine: newNo++ });
    else if (sign === "-") hunk.lines.push({ type: "del", text, oldLine: oldNo++, newLine: null });
    else if (sign === "\\") hunk.lines.push({ type: "meta", text: line, oldLine: null, newLine: null });
    else hunk.lines.push({ type: "ctx", text, oldLine: oldNo++, newLine: newNo++ });
  }
  return out.map(({ hunks, binary, cut }) => ({ hunks, binary, cut }));
}
