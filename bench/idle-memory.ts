// Memory per idle session: RSS of the server and of the ptyd process before and after 100 idle shells.
import { join } from "node:path";
import { waitFor } from "../tests/harness";
import { benchServer, fmt, rssKiB, shellSession } from "./common";

const N = 100;

function ptydPid(home: string): number {
  const r = Bun.spawnSync(["pgrep", "-f", `ptyd --socket ${join(home, "run", "ptyd.sock")}`]);
  const pids = r.stdout.toString().trim().split("\n").filter(Boolean).map(Number);
  if (pids.length === 0) throw new Error("ptyd process not found");
  return pids[0]!;
}

const server = await benchServer({ env: { IDLE_THRESHOLD_SECONDS: "1" } });
try {
  await Bun.sleep(2_000); // let startup settle
  const ptyd = ptydPid(server.home);
  const serverBefore = rssKiB(server.pid());
  const ptydBefore = rssKiB(ptyd);
  const ids: string[] = [];
  for (let i = 0; i < N; i++) ids.push(await shellSession(server, { sessionType: "terminal" }));
  const t0 = performance.now();
  let lastStates: unknown[] = [];
  await waitFor(
    async () => {
      const states = await Promise.all(ids.map(async (id) => (await server.api(`/api/sessions/${id}`)).body?.status));
      lastStates = states;
      return states.every((s) => s === "idle");
    },
    `all ${N} sessions idle`,
    60_000,
    500,
  ).catch((e) => {
    const counts: Record<string, number> = {};
    for (const s of lastStates) counts[String(s)] = (counts[String(s)] ?? 0) + 1;
    throw new Error(`${(e as Error).message}; statuses: ${JSON.stringify(counts)}`);
  });
  const idleAfter = (performance.now() - t0) / 1000;
  await Bun.sleep(5_000);
  const serverAfter = rssKiB(server.pid());
  const ptydAfter = rssKiB(ptyd);
  const perServer = (serverAfter - serverBefore) / N;
  const perPtyd = (ptydAfter - ptydBefore) / N;
  console.log(`${N} idle shell sessions (all idle after ${fmt(idleAfter, 1)} s, measured 5 s later):`);
  console.log(
    `  server RSS: ${serverBefore} KiB → ${serverAfter} KiB, added ${fmt(perServer, 1)} KiB per session (goal ≤ 2 MB = 2048 KiB)`,
  );
  console.log(`  ptyd RSS:   ${ptydBefore} KiB → ${ptydAfter} KiB, added ${fmt(perPtyd, 1)} KiB per session`);
  console.log(`  together:   ${fmt(perServer + perPtyd, 1)} KiB per session (the shells' own memory not counted)`);
} finally {
  await server.stop();
}
