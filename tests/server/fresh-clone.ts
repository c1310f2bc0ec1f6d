import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../harness";

/**
 * A copy of the checkout as `git clone` gives it (tracked and new files, nothing built: no
 * ui/dist, no src/web/assets.gen.ts), with node_modules linked in place of `bun install`.
 */
export function freshClone(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "opendray-clone-")), "opendray");
  const files = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: ROOT })
    .stdout.toString()
    .split("\n")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(dir, file));
    } catch {
      // a file deleted in the worktree but still tracked
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** The README's start line `bun run start` as argv: package.json's start script with this bun. */
export async function startCommand(dir: string): Promise<string[]> {
  const pkg = (await Bun.file(join(dir, "package.json")).json()) as { scripts: { start: string } };
  const [bin, ...args] = pkg.scripts.start.split(" ");
  if (bin !== "bun") throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return [process.execPath, ...args];
}
