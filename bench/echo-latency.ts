// Keystroke echo latency: one byte in, its echo out. Raw in-process PTY vs. WebSocket → server → ptyd → PTY and back.
// Two rhythms: back-to-back (each key sent as soon as the last echo arrived) and spaced (5 ms of idle
// between keys, so every keystroke wakes idle CPUs, as a person typing does).
import { benchServer, fmt, percentile, StreamClient, shellSession } from "./common";

const WARMUP = 500;
const BACK_TO_BACK = 3000;
const SPACED = 1000;
const SPACING_MS = 5;

interface EchoTarget {
  send(byte: Uint8Array<ArrayBuffer>): void;
  onEcho(fn: () => void): void;
}

/** Sends one byte at a time and times its echo. Every 200 bytes a newline lets `cat` flush its line. */
async function measure(target: EchoTarget, samples: number, spacingMs: number): Promise<number[]> {
  let waiter: (() => void) | null = null;
  target.onEcho(() => {
    const w = waiter;
    waiter = null;
    w?.();
  });
  const a = new Uint8Array([0x61]);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + samples; i++) {
    const got = new Promise<void>((r) => (waiter = r));
    const t0 = performance.now();
    target.send(a);
    const stuck = setTimeout(() => {
      console.error(`no echo for sample ${i}`);
      process.exit(1);
    }, 5_000);
    await got;
    const dt = performance.now() - t0;
    clearTimeout(stuck);
    if (i >= WARMUP) times.push(dt);
    if (i % 200 === 199) {
      target.send(new Uint8Array([0x0a]));
      await Bun.sleep(20);
      waiter = null;
    }
    if (spacingMs) await Bun.sleep(spacingMs);
  }
  return times;
}

async function rawPty(samples: number, spacingMs: number): Promise<number[]> {
  let echo = () => {};
  const proc = Bun.spawn(["cat"], { terminal: { cols: 120, rows: 40, data: () => echo() } });
  await Bun.sleep(200);
  const times = await measure(
    { send: (b) => proc.terminal?.write(b), onEcho: (fn) => (echo = fn) },
    samples,
    spacingMs,
  );
  proc.kill();
  await proc.exited;
  return times;
}

async function viaServer(
  server: Awaited<ReturnType<typeof benchServer>>,
  samples: number,
  spacingMs: number,
): Promise<number[]> {
  const id = await shellSession(server, { extraArgs: ["-c", "cat"], sessionType: "terminal" });
  const ws = await StreamClient.attach(server, id);
  await Bun.sleep(500); // let login-shell output settle
  const times = await measure({ send: (b) => ws.send(b), onEcho: (fn) => (ws.onBytes = fn) }, samples, spacingMs);
  ws.close();
  await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  return times;
}

const server = await benchServer();
try {
  console.log(`echo latency (ms), after ${WARMUP} warm-up keystrokes each:`);
  for (const [label, samples, spacing] of [
    ["back-to-back", BACK_TO_BACK, 0],
    [`spaced ${SPACING_MS} ms`, SPACED, SPACING_MS],
  ] as const) {
    const raw = await rawPty(samples, spacing);
    const srv = await viaServer(server, samples, spacing);
    const [r50, r99, s50, s99] = [percentile(raw, 50), percentile(raw, 99), percentile(srv, 50), percentile(srv, 99)];
    console.log(`${label}, ${samples} samples:`);
    console.log(`  raw in-process PTY:               p50 ${fmt(r50, 3)}  p99 ${fmt(r99, 3)}`);
    console.log(`  WebSocket → server → ptyd → PTY:  p50 ${fmt(s50, 3)}  p99 ${fmt(s99, 3)}`);
    console.log(
      `  added by OpenDray:                p50 ${fmt(s50 - r50, 3)}  p99 ${fmt(s99 - r99, 3)}  (goal ≤ 1 ms)`,
    );
  }
} finally {
  await server.stop();
}
