import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Isolate every test run from the user's real ~/.opendray and agent configs.
const home = mkdtempSync(join(tmpdir(), "opendray-test-home-"));
process.env.HOME = home;
process.env.OPENDRAY_HOME = join(home, ".opendray");
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.XDG_DATA_HOME = join(home, ".local", "share");
delete process.env.OPENDRAY_CONFIG;

import { afterAll, setDefaultTimeout } from "bun:test";
import { killProgramsUnder } from "./harness";
import { removeAgentRoots } from "./prompts/agent-pty";

setDefaultTimeout(180_000);
// Agent CLIs may leave daemons of their own behind in this HOME (Codex's app-server), and Codex copies its
// 400 MB binary into it: a run must leave neither behind. Hooks in a preload run once, after the last file.
afterAll(() => {
  removeAgentRoots();
  killProgramsUnder(home);
  rmSync(home, { recursive: true, force: true });
});

// Agent CLIs installed by scripts/install-agent-clis.sh live in the project's .agents/bin.
process.env.PATH = `${join(import.meta.dir, "..", ".agents", "bin")}:${process.env.PATH}`;
