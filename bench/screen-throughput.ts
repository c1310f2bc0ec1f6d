/**
 * Does the screen model slow the PTY → WS pipe? Feeds 64 MB of realistic output through the
 * daemon's path (ring buffer → WebSocket to a loopback client) with the emulator off and on.
 *   bun bench/screen-throughput.ts [--mb 64] [--source memory|pty]
 * memory: the output is handed over in random 4–64 KB chunks; pty: `cat` prints it on a real PTY.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScreenHost, ScreenModel } from "../src/screen/index";
import { RingBuffer } from "../src/shared/ring-buffer";
import { realisticOutput } from "./screen-output";

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
};
const MB = Number(arg("mb", "64"));
const sources = arg("source", "memory,pty").split(",");
// --control: the "on" runs also leave the emulator off, to show the noise floor of the ratio.
const control = process.argv.includes("--control");
const total = MB * 1024 * 1024;
const data = realisticOutput(total);
const file = join(mkdtempSync(join(tmpdir(), "screen-bench-")), "out.txt");
writeFileSync(file, data);

// The loopback WS client counts bytes; the pipe ends when it has them all.
let received = 0;
let onAll: (() => void) | null = null;
let expected = 0;
let serverSocket: Bun.ServerWebSocket<unknown> | null = null;
let opened: () => void = () => {};
const serverOpen = new Promise<void>((r) => (opened = r));
const server = Bun.serve({
  port: 0,
  fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("no", { status: 400 })),
  websocket: {
    // Never drop: the benchmark measures delivered bytes.
    backpressureLimit: 1 << 30,
    message() {},
    open(ws) {
      serverSocket = ws;
      opened();
    },
  },
});
const client = new WebSocket(`ws://127.0.0.1:${server.port}`);
client.binaryType = "arraybuffer";
client.onmessage = (e) => {
  received += (e.data as ArrayBuffer).byteLength;
  if (received >= expected) onAll?.();
};
await serverOpen;
await new Promise<void>((r) => (client.readyState === 1 ? r() : client.addEventListener("open", () => r())));

const host = new ScreenHost();

async function run(source: string, emulator: boolean) {
  received = 0;
  expected = total;
  const ring = new RingBuffer();
  const screen =
    emulator && !control ? new ScreenModel(120, 40, 1000, { host, read: (from, max) => ring.read(from, max) }) : null;
  const done = new Promise<void>((r) => (onAll = r));
  const pipe = (bytes: Uint8Array) => {
    ring.append(bytes);
    screen?.write(bytes, ring.end);
    serverSocket?.sendBinary(bytes);
  };
  const t0 = performance.now();
  if (source === "memory") {
    let off = 0;
    let n = 0;
    while (off < total) {
      const size = 4096 + ((n++ * 7919) % 61441);
      pipe(data.subarray(off, off + size));
      off += size;
      if (n % 64 === 0) await Bun.sleep(0);
    }
  } else {
    const proc = Bun.spawn(["cat", file], { terminal: { cols: 120, rows: 40, data: (_t, b) => pipe(b.slice()) } });
    await proc.exited;
    expected = ring.end;
    if (received >= expected) onAll?.();
  }
  await done;
  const pipeMs = performance.now() - t0;
  let settleMs = 0;
  let skipped = 0;
  if (screen) {
    await screen.settled();
    settleMs = performance.now() - t0;
    skipped = (await screen.snapshot()).skippedBytes;
    screen.dispose();
  }
  return { pipeMs, settleMs, skipped, bytes: ring.end };
}

for (const source of sources) {
  await run(source, true); // warm-up
  const off: number[] = [];
  const on: number[] = [];
  let last = { pipeMs: 0, settleMs: 0, skipped: 0, bytes: 0 };
  for (let i = 0; i < 5; i++) {
    off.push((await run(source, false)).pipeMs);
    last = await run(source, true);
    on.push(last.pipeMs);
  }
  // Median of interleaved runs: the machine is shared, single runs are noisy.
  const best = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const mbps = (ms: number) => (last.bytes / 1048576 / (ms / 1000)).toFixed(0);
  console.log(
    `screen-throughput source=${source} bytes=${last.bytes} off=${mbps(best(off))}MB/s on=${mbps(best(on))}MB/s (medians of 5) ratio=${(best(off) / best(on)).toFixed(3)} emulator_settled_after=${last.settleMs.toFixed(0)}ms skipped=${last.skipped}`,
  );
}
client.close();
server.stop(true);
host.terminate();
process.exit(0);
