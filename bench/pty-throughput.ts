// PTY → WebSocket throughput for 64 MB of output, as a ratio of raw in-process PTY read throughput.
import { writeFileSync } from "node:fs";
import { benchServer, fmt, rawPtyRead, StreamClient, shellSession } from "./common";

const SIZE = 64 * 1024 * 1024;
const file = "/tmp/opendray-bench-64m.txt";
const line = `${"0123456789abcdef".repeat(7)}\n`;
writeFileSync(file, line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE));
const expected = SIZE + Math.floor(SIZE / line.length); // the PTY turns each \n into \r\n

const rawPty = async () => (await rawPtyRead(file, expected)) / 1e6;

/** The shell prints READY once its login profile has run, so only the 64 MB transfer is timed. */
async function viaWebSocket(server: Awaited<ReturnType<typeof benchServer>>): Promise<{ mbps: number; lost: number }> {
  const id = await shellSession(server, {
    extraArgs: ["-c", `echo READY; read go; stty -echo; cat ${file}; sleep 2`],
    sessionType: "terminal",
  });
  const ws = await StreamClient.attach(server, id);
  let before = 0;
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  let seen = "";
  ws.onBytes = (bytes) => {
    before += bytes.byteLength;
    seen += new TextDecoder().decode(bytes);
    if (seen.includes("READY")) ready();
  };
  await isReady;
  let got = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  ws.onBytes = (bytes) => {
    got += bytes.byteLength;
    if (got >= expected) resolve();
  };
  const t0 = performance.now();
  ws.send("\r");
  const giveUp = setTimeout(resolve, 120_000);
  await done;
  clearTimeout(giveUp);
  const seconds = (performance.now() - t0) / 1000;
  await Bun.sleep(100);
  const buffer = await server.api(`/api/sessions/${id}`);
  ws.close();
  return { mbps: got / seconds / 1e6, lost: Math.max(0, buffer.body.cursor - ws.cursor - before - got) };
}

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const server = await benchServer();
try {
  // interleaved, so both sides see the same machine; the medians make the ratio
  const raw: number[] = [];
  const ws: { mbps: number; lost: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(await rawPty());
    ws.push(await viaWebSocket(server));
  }
  const rawMedian = median(raw);
  const wsMedian = median(ws.map((w) => w.mbps));
  const lost = ws.reduce((n, w) => n + w.lost, 0);
  console.log(`raw in-process PTY read: median ${fmt(rawMedian)} MB/s (${raw.map((r) => fmt(r, 0)).join(", ")})`);
  console.log(
    `PTY → ptyd → server → WebSocket client: median ${fmt(wsMedian)} MB/s (${ws.map((w) => fmt(w.mbps, 0)).join(", ")}), bytes lost: ${lost}`,
  );
  console.log(`ratio: ${fmt(wsMedian / rawMedian)} (goal ≥ 0.8)`);
} finally {
  await server.stop();
}
