// Keystroke echo as the peers' benchmark measures it: a Node `ws` client, one key every 2–20 ms
// (random), timing each key's echo.   node bench/echo-client.mjs <ws url> <samples> <warm-up>
// Prints {times, stamps}: each echo's ms, and each key's [sent, echoed] in wall-clock ms (the clock
// the server's hop trace uses, see src/shared/hop-trace.ts).
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

const [url, samplesArg = "1000", warmupArg = "100"] = process.argv.slice(2);
const samples = Number(samplesArg);
const warmup = Number(warmupArg);
const ws = new WebSocket(url);
let onEcho = () => {};
let replayed = false;
ws.on("message", (data, isBinary) => {
  if (!isBinary) {
    if (JSON.parse(data.toString()).type === "replay_end") replayed = true;
    return;
  }
  if (replayed) onEcho();
});
await new Promise((resolve, reject) => {
  ws.once("open", resolve);
  ws.once("error", reject);
});
while (!replayed) await new Promise((r) => setTimeout(r, 5));
await new Promise((r) => setTimeout(r, 300));
const key = Buffer.from("a");
const times = [];
const stamps = [];
const wall = () => performance.timeOrigin + performance.now();
for (let i = 0; i < warmup + samples; i++) {
  await new Promise((r) => setTimeout(r, 2 + Math.random() * 18));
  const echoed = new Promise((r) => (onEcho = r));
  const t0 = performance.now();
  const sent = wall();
  ws.send(key, { binary: true });
  await echoed;
  if (i >= warmup) {
    times.push(performance.now() - t0);
    stamps.push([sent, wall()]);
  }
}
ws.close();
process.stdout.write(JSON.stringify({ times, stamps }));
