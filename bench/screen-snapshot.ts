/**
 * Catch-up cost: after a session printed 50 MB, how big and how fast is the serialized screen that a
 * `mode=snapshot` client starts from?   bun bench/screen-snapshot.ts [--mb 50] [--scrollback 200]
 */

import { ScreenHost, ScreenModel } from "../src/screen/index";
import { RingBuffer } from "../src/shared/ring-buffer";
import { realisticOutput } from "./screen-output";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MB = arg("mb", 50);
const scrollbackLines = arg("scrollback", 200);
const host = new ScreenHost();
const ring = new RingBuffer();
const screen = new ScreenModel(120, 40, 1000, { host, read: (from, max) => ring.read(from, max) });
const data = realisticOutput(MB * 1024 * 1024);
for (let off = 0; off < data.length; off += 32 * 1024) {
  ring.append(data.subarray(off, off + 32 * 1024));
  screen.write(data.subarray(off, off + 32 * 1024), ring.end);
  if ((off / (32 * 1024)) % 64 === 0) await Bun.sleep(0);
}
await screen.settled();

const times: number[] = [];
let bytes = 0;
let cursor = 0;
for (let i = 0; i < 50; i++) {
  const t0 = performance.now();
  const s = await screen.serialize({ scrollbackLines });
  times.push(performance.now() - t0);
  bytes = Buffer.byteLength(s.data);
  cursor = s.byteCursor;
}
times.sort((a, b) => a - b);
const pct = (p: number) =>
  (times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number).toFixed(1);
console.log(
  `screen-snapshot printed=${MB}MB byteCursor=${cursor} scrollback_lines=${scrollbackLines} snapshot_bytes=${bytes} serialize_p50=${pct(50)}ms p99=${pct(99)}ms`,
);
screen.dispose();
host.terminate();
process.exit(0);
