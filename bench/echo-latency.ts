// Keystroke echo latency: one byte in, its echo out. Raw in-process PTY vs. WebSocket → server → ptyd → PTY and back.
import { benchServer, fmt, percentile, shellSession, StreamClient } from "./common";

const WARMUP = 100;
const SAMPLES = 1000;

async function rawPty(): Promise<number[]> {
  let waiter: (() => void) | null = null;
  const proc = Bun.spawn(["cat"], {
    terminal: {
      cols: 120,
      rows: 40,
      data(_t, _bytes) {
        const w = waiter;
        waiter = null;
        w?.();
      },
    },
  });
  await Bun.sleep(200);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const got = new Promise<void>((r) => (waiter = r));
    const t0 = performance.now();
    proc.terminal!.write("a");
    await got;
    const dt = performance.now() - t0;
    if (i >= WARMUP) times.push(dt);
    if (i % 200 === 199) {
      // keep cat's canonical line short: a newline flushes the line (echo "\r\n" + cat's copy)
      proc.terminal!.write("\n");
      await Bun.sleep(20);
      waiter = null;
    }
  }
  proc.kill();
  await proc.exited;
  return times;
}

async function viaServer(): Promise<number[]> {
  const server = await benchServer();
  try {
    const id = await shellSession(server, { extraArgs: ["-c", "cat"], sessionType: "terminal" });
    const ws = await StreamClient.attach(server, id);
    await Bun.sleep(500); // let login-shell output settle
    let waiter: (() => void) | null = null;
    ws.onBytes = () => {
      const w = waiter;
      waiter = null;
      w?.();
    };
    const a = new Uint8Array([0x61]);
    const times: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const got = new Promise<void>((r) => (waiter = r));
      const t0 = performance.now();
      ws.send(a);
      const stuck = setTimeout(() => {
        console.error(`no echo for sample ${i}`);
        process.exit(1);
      }, 5_000);
      await got;
      const dt = performance.now() - t0;
      clearTimeout(stuck);
      if (i >= WARMUP) times.push(dt);
      if (i % 200 === 199) {
        ws.send(new Uint8Array([0x0a]));
        await Bun.sleep(20);
        waiter = null;
      }
    }
    ws.close();
    return times;
  } finally {
    await server.stop();
  }
}

const raw = await rawPty();
const srv = await viaServer();
const r50 = percentile(raw, 50);
const r99 = percentile(raw, 99);
const s50 = percentile(srv, 50);
const s99 = percentile(srv, 99);
console.log(`echo latency, ${SAMPLES} samples after ${WARMUP} warm-up (ms):`);
console.log(`  raw in-process PTY:               p50 ${fmt(r50, 3)}  p99 ${fmt(r99, 3)}`);
console.log(`  WebSocket → server → ptyd → PTY:  p50 ${fmt(s50, 3)}  p99 ${fmt(s99, 3)}`);
console.log(`  added by OpenDray:                p50 ${fmt(s50 - r50, 3)}  p99 ${fmt(s99 - r99, 3)}  (goal ≤ 1 ms)`);
