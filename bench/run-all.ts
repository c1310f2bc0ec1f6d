// Runs the benchmarks one after another as subprocesses and prints their output.   bun bench/run-all.ts
import { join } from "node:path";

const scripts = [
  "pty-throughput.ts",
  "echo-latency.ts",
  "attach.ts",
  "idle-memory.ts",
  "cold-start.ts",
  "workspace.ts",
  "llm-gateway.ts",
  "mcp-gateway.ts",
];
let failed = 0;
for (const s of scripts) {
  console.log(`\n=== ${s} ===`);
  const t0 = performance.now();
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, s)], {
    cwd: join(import.meta.dir, ".."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  process.stdout.write(out);
  if (err.trim()) process.stdout.write(err);
  console.log(`(${s}: exit ${code}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (code !== 0) failed++;
}
process.exit(failed ? 1 : 0);
