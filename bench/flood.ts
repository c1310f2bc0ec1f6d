// 64 MB floods through PTY → ptyd (+ disk log) → server → WebSocket, against raw in-process PTY reads:
// a client that pauses 200 ms every 8 MB (must lose nothing), and a phone reading at 2 MB/s (the PTY
// must not slow down; its screen must end equal to the server's; what it skipped is reported exactly).
// Also the disk log's write cost, as a share of the flood's time. Each flood runs right after a raw
// read of its own, and the ratio of the pair is reported too: on a machine others load, the pairs'
// median ratio is the fairer figure.   bun bench/flood.ts [runs] [phone runs]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SessionLog } from "../src/pty/session-log";
import {
  benchServer,
  cpuSpent,
  fmt,
  loadLine,
  ptydPid,
  rawPtyRead,
  shellSession,
  type TestServer,
  threadCpu,
} from "./common";
import { FloodClient } from "./flood-client";

const SIZE = 64 * 1024 * 1024;
const RUNS = Number(process.argv[2] ?? 10);
const PHONE_RUNS = Number(process.argv[3] ?? 3);
const file = "/tmp/opendray-bench-64m.txt";
const line = `${"0123456789abcdef".repeat(7)}\n`;
writeFileSync(file, line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE));
const expected = SIZE + Math.floor(SIZE / line.length); // the PTY turns each \n into \r\n
const ptyLine = Buffer.from(line.replace("\n", "\r\n"));
/** Whether `bytes` are the flood's bytes `offset`… of it (every line is the same). */
function floodBytesAt(offset: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== ptyLine[(offset + i) % ptyLine.length]) return false;
  return true;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const MB = 1e6;

const rawPty = async () => (await rawPtyRead(file, expected)) / MB;

interface FloodResult {
  /** MB/s until the server had the flood's last byte (the PTY's pace) */
  floodMbps: number;
  /** MB/s until the client had it */
  clientMbps: number;
  lost: number;
  received: number;
  skipped: { from: number; to: number }[];
  gaps: number;
  screenEqual?: boolean;
  /** the skipped ranges, read back from the log, are exactly the flood's bytes at those cursors */
  skippedExact?: boolean;
  complete: boolean;
  /** CPU seconds each process spent from the flood's start until the client had its last byte */
  cpu: string[];
}

/** A shell's waited-for children's CPU seconds (cat's, once it exited). */
function childCpu(pid: number): number {
  const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8") as string;
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) / 100;
}

/** The processes a flood runs through, for their CPU time. */
const procs = (server: TestServer) => ({ server: server.pid(), ptyd: ptydPid(server.home), client: process.pid });
const cpuNow = (pids: Record<string, number>) =>
  Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, threadCpu(pid)]));

async function flood(server: TestServer, kind: "pausing" | "phone"): Promise<FloodResult> {
  const id = await shellSession(server, {
    // the shell stamps the time the last byte was written: the PTY's pace, without polling the server
    extraArgs: ["-c", `stty -echo; echo READY; read go; cat ${file}; echo "FLOOD-DONE $(date +%s.%N)"; sleep 600`],
    sessionType: "terminal",
  });
  const client = new FloodClient(server.port, `/api/sessions/${id}/ws?token=${server.token}`, {
    render: kind === "phone" ? { cols: 120, rows: 40 } : undefined,
  });
  let seen = "";
  const deadline = Date.now() + 30_000;
  client.onStream = (b) => {
    seen += Buffer.from(b).toString();
  };
  while (!(client.replayDone && seen.includes("READY"))) {
    if (Date.now() > deadline) throw new Error("no READY");
    await Bun.sleep(10);
  }
  const base = client.cursor;
  const received0 = client.received;
  client.onStream = () => {};
  if (kind === "pausing") {
    let nextPause = 8 * 1024 * 1024;
    client.onStream = () => {
      if (client.received - received0 >= nextPause) {
        nextPause += 8 * 1024 * 1024;
        client.pauseFor(200);
      }
    };
  } else client.limitRate(2 * 1024 * 1024);
  const pids = procs(server);
  const shellPid = (await server.api(`/api/sessions/${id}`)).body.pid as number;
  const cpu0 = cpuNow(pids);
  const cat0 = childCpu(shellPid);
  const t0 = performance.now();
  const wallT0 = Date.now() / 1000;
  client.send("\r");
  const end = base + expected;
  const giveUp = Date.now() + 180_000;
  while (client.cursor < end && Date.now() < giveUp) await Bun.sleep(5);
  const clientEnd = performance.now();
  const cpu1 = cpuNow(pids);
  const cpu = Object.keys(pids).map((k) => cpuSpent(k, cpu0[k] as Map<string, number>, cpu1[k] as Map<string, number>));
  cpu.push(`cat ${fmt(childCpu(shellPid) - cat0)} s`);
  let stamp = Number.NaN;
  while (Number.isNaN(stamp) && Date.now() < giveUp) {
    const tail = await server.api<string>(`/api/sessions/${id}/buffer?since=${end}`);
    const m = /FLOOD-DONE (\d+\.\d+)/.exec(String(tail.body));
    if (m) stamp = Number(m[1]);
    else await Bun.sleep(20);
  }
  const floodSeconds = stamp - wallT0;
  // the session's last byte (the stamp line after the flood) must reach the client too
  const last = (await server.api(`/api/sessions/${id}`)).body.cursor as number;
  while (client.cursor < last && Date.now() < giveUp) await Bun.sleep(5);
  const skippedBytes = client.skipped.reduce((n, s) => n + s.to - s.from, 0);
  const got = client.received - received0;
  const result: FloodResult = {
    floodMbps: expected / floodSeconds / MB,
    clientMbps: expected / ((clientEnd - t0) / 1000) / MB,
    lost: last - base - got - skippedBytes,
    received: got,
    skipped: client.skipped,
    gaps: client.gaps + client.truncated,
    complete: client.cursor >= last,
    cpu,
  };
  if (kind === "phone") {
    result.skippedExact = true;
    for (const s of client.skipped) {
      const r = await fetch(`${server.url}/api/sessions/${id}/buffer?since=${s.from}&until=${s.to}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      const bytes = new Uint8Array(await r.arrayBuffer());
      const from = Number(r.headers.get("x-opendray-from"));
      // the range may run on past the flood into the stamp line
      const inFlood = Math.max(0, Math.min(s.to, end) - s.from);
      const rest = Buffer.from(bytes.subarray(inFlood)).toString();
      const exact =
        from === s.from &&
        bytes.length === s.to - s.from &&
        floodBytesAt(s.from - base, bytes.subarray(0, inFlood)) &&
        (rest === "" || rest.startsWith("\r\nFLOOD-DONE") || rest.startsWith("FLOOD-DONE"));
      if (!exact) result.skippedExact = false;
    }
    await Bun.sleep(300);
    await client.rendered();
    const screen = (await server.api(`/api/sessions/${id}/screen`)).body as { lines: string[] };
    const mine = client.screenLines();
    result.screenEqual = JSON.stringify(mine) === JSON.stringify(screen.lines);
    if (!result.screenEqual) {
      const diff = mine.findIndex((l, i) => l !== screen.lines[i]);
      console.log(
        `    screens differ at row ${diff}: ${JSON.stringify(mine[diff])} vs ${JSON.stringify(screen.lines[diff])}`,
      );
    }
  }
  client.close();
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  return result;
}

/** The log's own cost: the same 64 MB appended in the PTY's read sizes, as the PTY host does. */
function logWriteSeconds(): number {
  const dir = mkdtempSync(join(tmpdir(), "od-bench-log-"));
  const writer = new SessionLog(join(dir, "s"), 512 * 1024 * 1024, 0);
  const piece = new Uint8Array(64 * 1024).fill(0x61);
  const t0 = performance.now();
  for (let at = 0; at < expected; at += piece.length) writer.append(at, [piece]);
  const seconds = (performance.now() - t0) / 1000;
  writer.close();
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

console.log(loadLine("at the start"));
const server = await benchServer();
try {
  const raw: number[] = [];
  const pausing: FloodResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    raw.push(await rawPty());
    pausing.push(await flood(server, "pausing"));
  }
  const rawMedian = median(raw);
  const pairs = pausing.map((p, i) => p.floodMbps / (raw[i] as number));
  console.log(`raw in-process PTY read: median ${fmt(rawMedian)} MB/s (${raw.map((r) => fmt(r, 0)).join(", ")})`);
  console.log(`64 MB flood, a client pausing 200 ms every 8 MB, ${RUNS} runs:`);
  console.log(
    `  flood (PTY → server): median ${fmt(median(pausing.map((p) => p.floodMbps)))} MB/s (${pausing.map((p) => fmt(p.floodMbps, 0)).join(", ")}), ratio of medians ${fmt(median(pausing.map((p) => p.floodMbps)) / rawMedian)} (goal ≥ 0.8)`,
  );
  console.log(
    `  each run against the raw read just before it: ${pairs.map((r) => fmt(r)).join(", ")}; median ${fmt(median(pairs))}`,
  );
  console.log(
    `  at the client (1.6 s of its own pauses included): median ${fmt(median(pausing.map((p) => p.clientMbps)))} MB/s, ratio ${fmt(median(pausing.map((p) => p.clientMbps)) / rawMedian)}`,
  );
  console.log(
    `  bytes lost per run: ${pausing.map((p) => p.lost).join(", ")}; skipped: ${pausing.map((p) => p.skipped.length).join(", ")}; complete: ${pausing.every((p) => p.complete)}`,
  );
  console.log("  CPU seconds per run, flood start → the client's last byte:");
  for (const p of pausing) console.log(`    ${p.cpu.join("; ")}`);

  console.log(`64 MB flood, a phone reading at 2 MB/s, ${PHONE_RUNS} runs (each after a raw read of its own):`);
  for (let i = 0; i < PHONE_RUNS; i++) {
    const phoneRaw = await rawPty();
    const phone = await flood(server, "phone");
    const skippedBytes = phone.skipped.reduce((n, s) => n + s.to - s.from, 0);
    console.log(
      `  flood (PTY → server) ${fmt(phone.floodMbps)} MB/s vs raw ${fmt(phoneRaw)} MB/s: ratio ${fmt(phone.floodMbps / phoneRaw)} (not slowed: ≥ 0.8; the pausing client's median pair ratio ${fmt(median(pairs))})`,
    );
    console.log(
      `    received ${phone.received} + skipped ${skippedBytes} in ${phone.skipped.length} range(s) ${JSON.stringify(phone.skipped)} = ${phone.received + skippedBytes} of ${expected} + the stamp line; unaccounted ${phone.lost}, unreported gaps ${phone.gaps}`,
    );
    console.log(
      `    skipped range(s) read back from the log are exactly the flood's bytes there: ${phone.skippedExact}; client's screen equals the server's: ${phone.screenEqual}`,
    );
  }

  const logSeconds = logWriteSeconds();
  const floodSeconds = expected / MB / median(pausing.map((p) => p.floodMbps));
  console.log(
    `disk log: 64 MB appended in ${fmt(logSeconds * 1000, 1)} ms = ${fmt((logSeconds / floodSeconds) * 100, 1)} % of the flood's ${fmt(floodSeconds, 2)} s (goal ≤ 5 %)`,
  );
  console.log(loadLine("at the end"));
} finally {
  await server.stop();
}
