// Attach cost: time from `new WebSocket(...)` to replay_end for a session that printed a lot, raw and mode=snapshot.

import { waitFor } from "../tests/harness";
import { benchServer, fmt, percentile, shellSession, type TestServer } from "./common";

const RUNS = 20;

async function sessionThatPrinted(server: TestServer, bytes: number): Promise<string> {
  const id = await shellSession(server, {
    extraArgs: ["-c", `head -c ${bytes} /dev/zero | tr '\\0' y; sleep 600`],
    sessionType: "terminal",
  });
  await waitFor(
    async () => (await server.api(`/api/sessions/${id}`)).body?.cursor >= bytes,
    `cursor ≥ ${bytes}`,
    120_000,
    100,
  );
  return id;
}

function attachOnce(
  server: TestServer,
  id: string,
  params: Record<string, string> = {},
): Promise<{ ms: number; bytes: number; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ token: server.token, ...params });
    const t0 = performance.now();
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/sessions/${id}/ws?${q}`);
    ws.binaryType = "arraybuffer";
    let bytes = 0;
    let truncated = false;
    const timer = setTimeout(() => reject(new Error("no replay_end within 30 s")), 30_000);
    ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        const m = JSON.parse(e.data);
        if (m.type === "replay_start") truncated = !!m.truncated;
        if (m.type === "replay_end") {
          const ms = performance.now() - t0;
          clearTimeout(timer);
          ws.close();
          resolve({ ms, bytes, truncated });
        }
      } else bytes += (e.data as ArrayBuffer).byteLength;
    };
    ws.onerror = () => reject(new Error("websocket error"));
  });
}

async function measure(server: TestServer, id: string, params: Record<string, string> = {}) {
  await attachOnce(server, id, params); // warm-up
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await attachOnce(server, id, params));
  const times = runs.map((r) => r.ms);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    bytes: Math.max(...runs.map((r) => r.bytes)),
    truncated: runs.some((r) => r.truncated),
  };
}

const line = (label: string, m: Awaited<ReturnType<typeof measure>>) =>
  `  ${label.padEnd(26)} p50 ${fmt(m.p50)} ms  p99 ${fmt(m.p99)} ms  replay bytes ${m.bytes} (${fmt(m.bytes / 1024, 1)} KiB)${m.truncated ? "  [truncated]" : ""}`;

const server = await benchServer();
try {
  const id6 = await sessionThatPrinted(server, 6_000_000);
  const raw6 = await measure(server, id6);
  const snap6 = await measure(server, id6, { mode: "snapshot" });
  console.log(`attach to a session that printed 6,000,000 bytes (${RUNS} runs, new WebSocket → replay_end):`);
  console.log(line("raw replay:", raw6));
  console.log(line("mode=snapshot:", snap6));
  console.log(
    `  goal: ≤ 50 ms → raw ${raw6.p50 <= 50 ? "met" : "NOT met"} at p50, ${raw6.p99 <= 50 ? "met" : "NOT met"} at p99`,
  );
  if (snap6.bytes >= raw6.bytes)
    console.log("  note: the server answers mode=snapshot with no fewer bytes than raw (snapshot mode not in effect)");

  const MB50 = 50 * 1024 * 1024;
  const id50 = await sessionThatPrinted(server, MB50);
  const raw50 = await measure(server, id50);
  const snap50 = await measure(server, id50, { mode: "snapshot" });
  console.log(`attach to a session that printed 50 MiB (${MB50} bytes, ${RUNS} runs):`);
  console.log(line("raw replay:", raw50));
  console.log(line("mode=snapshot:", snap50));
  const ok = snap50.bytes <= 200_000 && snap50.p50 <= 50;
  console.log(
    `  snapshot goal: ≤ 200 KB and ≤ 50 ms → ${ok ? "met" : "NOT met"} (${snap50.bytes} bytes, p50 ${fmt(snap50.p50)} ms)`,
  );
  if (snap50.bytes >= raw50.bytes)
    console.log("  note: the server answers mode=snapshot with no fewer bytes than raw (snapshot mode not in effect)");
} finally {
  await server.stop();
}
