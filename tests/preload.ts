import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// pyenv's rehash lock of the real user: a login shell killed in root's profile leaves it, and every later
// profile run then waits 60 s for it. Looked for before HOME moves to the test home.
const pyenvLock = join(process.env.PYENV_ROOT || join(process.env.HOME ?? "/", ".pyenv"), "shims", ".pyenv-shim");
const lockAtStart = existsSync(pyenvLock);
const runStart = Date.now();

// Isolate every test run from the user's real ~/.opendray and agent configs.
const home = mkdtempSync(join(tmpdir(), "opendray-test-home-"));
process.env.HOME = home;
process.env.OPENDRAY_HOME = join(home, ".opendray");
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.XDG_DATA_HOME = join(home, ".local", "share");
delete process.env.OPENDRAY_CONFIG;

// Agent CLIs installed by scripts/install-agent-clis.sh live in the project's .agents/bin.
process.env.PATH = `${join(import.meta.dir, "..", ".agents", "bin")}:${process.env.PATH}`;

// Bun.spawn and Bun.spawnSync without `env` hand the child the environment this process started with, not
// the process.env set above, and Bun.which looks in that PATH (oven-sh/bun#40846): such a child had the real HOME, so a login shell ran the
// user's profile (pyenv's rehash and its lock) and read the real ~/.opendray. An omitted env is the live one.
function withLiveEnv<F extends (...args: any[]) => unknown>(spawn: F): F {
  return ((first: unknown, opts?: { env?: unknown }) => {
    if (Array.isArray(first))
      return spawn(first, opts?.env === undefined ? { ...opts, env: { ...process.env } } : opts);
    const o = first as { env?: unknown };
    return spawn(o.env === undefined ? { ...o, env: { ...process.env } } : o, opts);
  }) as F;
}
Bun.spawn = withLiveEnv(Bun.spawn);
Bun.spawnSync = withLiveEnv(Bun.spawnSync);
const which = Bun.which;
Bun.which = (command, opts) => which(command, { PATH: process.env.PATH, ...opts });

import { afterAll, setDefaultTimeout } from "bun:test";
import { killProgramsUnder } from "./harness";
import { removeAgentRoots } from "./prompts/agent-pty";

setDefaultTimeout(180_000);
// Agent CLIs may leave daemons of their own behind in this HOME (Codex's app-server), and Codex copies its
// 400 MB binary into it: a run must leave neither behind. Hooks in a preload run once, after the last file.
afterAll(async () => {
  removeAgentRoots();
  killProgramsUnder(home);
  rmSync(home, { recursive: true, force: true });
  await reportPyenvLock();
});

/**
 * Says so when the run ends with pyenv's lock present that was not there at its start and is not a rehash
 * running right now (one holds it well under a second). Only reported: a real pyenv of the user may hold it.
 */
async function reportPyenvLock() {
  if (lockAtStart) return;
  for (let i = 0; i < 6 && existsSync(pyenvLock); i++) await Bun.sleep(500);
  let made: number;
  try {
    made = statSync(pyenvLock).mtimeMs;
  } catch {
    return;
  }
  if (made < runStart) return;
  console.error(
    `\n${pyenvLock} was left behind during this test run (made ${new Date(made).toISOString()}): a shell was ` +
      "killed while its profile ran `pyenv rehash`, and every later login shell now waits 60 s for it. " +
      "A test that starts a shell with the user's profile must wait for its prompt before stopping it. " +
      "Remove the file once no pyenv rehash is running.",
  );
}
