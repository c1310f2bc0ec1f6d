import { existsSync } from "node:fs";
import { join } from "node:path";

/** Everything the test suite needs besides packages: agent CLIs, a fresh binary and UI, Chromium. */
const ROOT = join(import.meta.dir, "..");

function run(argv: string[], what: string) {
  console.log(`test-prep: ${what}`);
  const r = Bun.spawnSync(argv, { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) {
    console.error(`test-prep: ${what} failed`);
    process.exit(1);
  }
}

if (!existsSync("/usr/bin/chromium")) {
  if (process.getuid?.() === 0 && Bun.which("apt-get")) {
    run(
      ["sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null"],
      "installing Debian's chromium for the browser tests",
    );
  } else
    console.warn("test-prep: /usr/bin/chromium is missing; the browser tests will fail (apt-get install chromium)");
}
run(["bash", "scripts/install-agent-clis.sh"], "installing the agent CLIs into .agents/");
run([process.execPath, "scripts/build.ts"], "building the web UI and dist/opendray");
