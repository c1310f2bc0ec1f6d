import { readlinkSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type CommandResult, runCommand } from "../run-command";

export const repoRoot = resolve(import.meta.dir, "../..");
const entry = resolve(import.meta.dir, "cli-entry.ts");

export type CliResult = CommandResult;

/** Runs `opendray <command> ...args` from source with piped stdio (no terminal). */
export async function opendray(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = repoRoot,
  stdin?: string,
): Promise<CliResult> {
  return runCommand([process.execPath, entry, ...args], { cwd, env: { ...process.env, ...env }, stdin });
}

export const entryArgv = (args: string[]) => [process.execPath, entry, ...args];

/** Removes a test's temp dir and, as root, the bundled cluster its home links to under /var/lib/opendray. */
export function removeTestDir(dir: string, home: string) {
  try {
    rmSync(dirname(readlinkSync(join(home, "pg", "data"))), { recursive: true, force: true });
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}
