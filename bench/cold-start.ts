// Cold start of the compiled binary: spawn → first 200 from /api/health, in an already initialised home.
import { existsSync, mkdtempSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, ROOT, shutdownPtyHost } from "../tests/harness";
import { fmt, percentile } from "./common";

const RUNS = 5;
const binary = join(ROOT, "dist", "opendray");
if (!existsSync(binary)) {
  console.log("dist/opendray missing; running `bun run build`…");
  const b = Bun.spawnSync([process.execPath, "run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (b.exitCode !== 0) throw new Error("build failed");
}

const base = mkdtempSync(join(tmpdir(), "opendray-cold-"));
const home = join(base, "home");
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  OPENDRAY_HOME: home,
  LISTEN_ADDR: `127.0.0.1:${port}`,
  ADMIN_USERNAME: "admin",
  ADMIN_PASSWORD: "correct-horse-battery",
  LOG_LEVEL: "error",
};

async function startOnce(): Promise<number> {
  const t0 = performance.now();
  const proc = Bun.spawn([binary], { env, cwd: base, stdio: ["ignore", "ignore", "pipe"] });
  let ms = -1;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`opendray exited with ${proc.exitCode}: ${await new Response(proc.stderr).text()}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) {
        ms = performance.now() - t0;
        break;
      }
    } catch {}
    await Bun.sleep(5);
  }
  proc.kill("SIGTERM");
  const forceKill = setTimeout(() => proc.kill("SIGKILL"), 20_000);
  await proc.exited;
  clearTimeout(forceKill);
  if (ms < 0) throw new Error("no 200 from /api/health within 120 s");
  return ms;
}

try {
  console.log(`binary: ${binary} (built ${statSync(binary).mtime.toISOString()})`);
  const first = await startOnce();
  console.log(`first start (initialises the home): ${fmt(first, 0)} ms`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ms = await startOnce();
    times.push(ms);
    console.log(`  start ${i + 1}: ${fmt(ms, 0)} ms`);
  }
  console.log(
    `cold start, spawn → /api/health 200: median ${fmt(percentile(times, 50), 0)} ms over ${RUNS} (goal ≤ 1500 ms)`,
  );
} finally {
  await shutdownPtyHost(home);
  const data = join(home, "pg", "data");
  try {
    const target = readlinkSync(data);
    rmSync(dirname(target), { recursive: true, force: true });
  } catch {}
  rmSync(base, { recursive: true, force: true });
}
