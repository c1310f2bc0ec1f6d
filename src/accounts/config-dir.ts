import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { log } from "../log";

/**
 * Gets an account's CLAUDE_CONFIG_DIR ready for a headless start: onboarding marked done (a token
 * alone otherwise lands on it, anthropics/claude-code#8938), the folder trusted when the session has
 * run there before, and projects/ pointing at the host's one transcript store so `--resume` finds a
 * conversation begun under another account.
 */
export function prepareConfigDir(dir: string, opts: { sharedProjects: string; trustCwd?: string }) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, ".claude.json");
  let state: Record<string, unknown> = {};
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {}
  let changed = false;
  if (state.hasCompletedOnboarding !== true) {
    state.hasCompletedOnboarding = true;
    changed = true;
  }
  if (opts.trustCwd) {
    const projects = (state.projects ?? {}) as Record<string, Record<string, unknown>>;
    const entry = projects[opts.trustCwd] ?? {};
    if (entry.hasTrustDialogAccepted !== true) {
      projects[opts.trustCwd] = { ...entry, hasTrustDialogAccepted: true };
      state.projects = projects;
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });

  mkdirSync(opts.sharedProjects, { recursive: true, mode: 0o700 });
  const link = join(dir, "projects");
  if (!existsSync(link) && !isSymlink(link)) symlinkSync(opts.sharedProjects, link);
  else if (!isSymlink(link)) log.warn("an account keeps its own transcripts; resume across accounts may fail", { dir });
}

function isSymlink(path: string) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
