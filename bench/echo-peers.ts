// Keystroke echo in the peers' rhythm (a Node `ws` client, 2–20 ms random between keys, `stty raw
// -echo; cat`), hop by hop in the same run: a raw in-process PTY; the PTY host reached directly on
// its Unix socket (PTY + ptyd); the whole path (WebSocket → server → ptyd → PTY and back); and two
// floors with the same client (bench/echo-floor.ts): a bare Bun WebSocket echo, and one Bun process
// that holds the PTY itself, which is the best a design without a separate PTY host could do here.
// Also a terminal session's start: POST /api/sessions → its first output byte, with a shell that
// runs no profile (`bash --norc --noprofile`), so what is left is OpenDray's own.
// Then the same echo against a server started with HOP_TRACE, split hop by hop.
//   bun bench/echo-peers.ts [samples]     ONLY=echo|hops|start runs one part
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PtyHostClient } from "../src/pty/client";
import { benchServer, fmt, loadLine, percentile, shellSession, type TestServer } from "./common";

const SAMPLES = Number(process.argv[2] ?? 2000);
const WARMUP = 200;
const CAT = ["-c", "stty raw -echo; exec cat"];
const pause = () => Bun.sleep(2 + Math.random() * 18);

async function rhythm(send: () => void, echoed: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    await pause();
    const got = echoed();
    const t0 = performance.now();
    send();
    await got;
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  return times;
}

function echoWaiter() {
  let waiter: (() => void) | null = null;
  return {
    fire: () => {
      const w = waiter;
      waiter = null;
      w?.();
    },
    next: () => new Promise<void>((r) => (waiter = r)),
  };
}

async function rawPty(): Promise<number[]> {
  const echo = echoWaiter();
  const proc = Bun.spawn(["bash", "--norc", "--noprofile", ...CAT], {
    terminal: { cols: 120, rows: 40, data: () => echo.fire() },
  });
  await Bun.sleep(300);
  const key = new Uint8Array([0x61]);
  const times = await rhythm(() => proc.terminal?.write(key), echo.next);
  proc.kill();
  await proc.exited;
  return times;
}

async function catSession(server: TestServer): Promise<string> {
  return shellSession(server, { extraArgs: CAT, sessionType: "terminal" });
}

/** The PTY host on its socket, as the server talks to it: PTY + ptyd, no server, no WebSocket. */
async function viaPtyd(server: TestServer): Promise<number[]> {
  const id = await catSession(server);
  await Bun.sleep(500);
  const echo = echoWaiter();
  const socketPath = join(server.home, "run", "ptyd.sock");
  const client = new PtyHostClient(
    socketPath,
    { command: ["false"], logFile: "/dev/null" },
    { output: (sid) => sid === id && echo.fire(), event: () => {}, reconnected: () => {}, lost: async () => {} },
  );
  const sessions = await client.connect();
  const end = sessions.find((s) => s.id === id)?.end ?? 0;
  await client.request("subscribe", { id, since: end });
  const key = new Uint8Array([0x61]);
  const times = await rhythm(() => client.input(id, key), echo.next);
  client.close();
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  return times;
}

interface NodeEcho {
  times: number[];
  /** each key's [sent, echoed], wall-clock ms */
  stamps: [number, number][];
}

async function viaWebSocket(server: TestServer): Promise<number[]> {
  return (await nodeEcho(server)).times;
}

async function nodeEcho(server: TestServer): Promise<NodeEcho> {
  const id = await catSession(server);
  const echoed = await nodeClient(`${server.url.replace(/^http/, "ws")}/api/sessions/${id}/ws?token=${server.token}`);
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  return echoed;
}

/** The same Node client against bench/echo-floor.ts: one Bun process, with its PTY in process or none. */
async function floor(mode: "pty" | "ws"): Promise<number[]> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "echo-floor.ts"), mode], { stdout: "pipe" });
  const port = Number(new TextDecoder().decode((await proc.stdout.getReader().read()).value).trim());
  const { times } = await nodeClient(`ws://127.0.0.1:${port}/`);
  proc.kill();
  await proc.exited;
  return times;
}

async function nodeClient(url: string): Promise<NodeEcho> {
  const proc = Bun.spawn(["node", join(import.meta.dir, "echo-client.mjs"), url, String(SAMPLES), String(WARMUP)], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error("the node ws client failed");
  return JSON.parse(out) as NodeEcho;
}

/** The echo path's hops in order, as the server and ptyd mark them (src/shared/hop-trace.ts). */
const HOPS = [
  ["ws-in", "WS frame sent → server has it"],
  ["ipc-out", "server hands it to the ptyd socket"],
  ["host-in", "socket write + Unix socket → ptyd has it"],
  ["pty-write", "ptyd writes the PTY"],
  ["pty-read", "PTY → cat → ptyd reads the echo"],
  ["host-out", "ptyd batches + logs, hands it to the socket"],
  ["ipc-in", "socket write + Unix socket → server has it"],
  ["ws-out", "server hands it to the WS"],
  ["echoed", "WS send + TCP → Node ws client has it"],
] as const;

/** The same echo against a server started with HOP_TRACE: where each key's time went, hop by hop. */
async function hopBreakdown() {
  const dir = mkdtempSync(join(tmpdir(), "od-hops-"));
  const traced = await benchServer({ env: { HOP_TRACE: dir } });
  let echo: NodeEcho;
  try {
    echo = await nodeEcho(traced);
  } finally {
    await traced.stop();
  }
  await Bun.sleep(700); // the trace files are appended every 500 ms
  const marks = readMarks(dir);
  const spans: number[][] = HOPS.map(() => []);
  let complete = 0;
  for (const [sent, echoed] of echo.stamps) {
    // each hop's first mark after the key was sent, in order; keys are ≥ 2 ms apart
    let prev = sent;
    const at: number[] = [];
    for (const [label] of HOPS) {
      const t = label === "echoed" ? echoed : (marks.get(label) ?? []).find((m) => m >= prev && m <= echoed);
      if (t === undefined) break;
      at.push(t);
      prev = t;
    }
    if (at.length < HOPS.length) continue;
    complete++;
    let from = sent;
    at.forEach((t, i) => {
      spans[i]?.push(t - from);
      from = t;
    });
  }
  console.log(`echo hop by hop (ms), a server with HOP_TRACE, ${complete} of ${echo.stamps.length} keys traced:`);
  console.log(
    `  whole echo here: p50 ${fmt(percentile(echo.times, 50), 3)}  p99 ${fmt(percentile(echo.times, 99), 3)}`,
  );
  HOPS.forEach(([label, what], i) => {
    const s = spans[i] ?? [];
    console.log(
      `  ${label.padEnd(10)} ${what.padEnd(42)} p50 ${fmt(percentile(s, 50), 3)}  p99 ${fmt(percentile(s, 99), 3)}`,
    );
  });
}

/**
 * The terminal plugin's login shell (`bash -l`) with a HOME holding no profile, handing over to
 * `bash --norc --noprofile`: no user profile runs, so the time left is OpenDray's own (and /etc/profile's,
 * which the in-process spawn below runs too).
 */
const emptyHome = mkdtempSync(join(tmpdir(), "od-bench-home-"));
const START = ["-c", "exec bash --norc --noprofile"];

/** Resolves once a session's output has been quiet for `ms` (its prompt drawn). */
function quietFor(ws: WebSocket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(resolve, ms);
    ws.addEventListener("message", () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, ms);
    });
  });
}

/**
 * POST /api/sessions → first output byte on the WebSocket. With `profile`, the terminal plugin's
 * own login shell in the user's HOME (root's profile runs pyenv); the session is stopped only once
 * its prompt is drawn (a login shell killed in pyenv's init leaves a lock that stalls later ones).
 */
async function startToFirstByte(
  server: TestServer,
  profile = false,
): Promise<{ total: number; created: number; wall: number }> {
  const wall = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const id = await shellSession(
    server,
    profile
      ? { sessionType: "terminal" }
      : { sessionType: "terminal", extraArgs: START, envOverrides: { HOME: emptyHome } },
  );
  const created = performance.now() - t0;
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/sessions/${id}/ws?token=${server.token}`);
  ws.binaryType = "arraybuffer";
  const total = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no first byte within 30 s")), 30_000);
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    };
  });
  await quietFor(ws, profile ? 1000 : 100);
  ws.close();
  await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  return { total, created, wall };
}

/** The same shell spawned in process: the floor for the figure above. */
async function rawStart(profile = false): Promise<number> {
  const t0 = performance.now();
  let resolve!: (ms: number) => void;
  const first = new Promise<number>((r) => (resolve = r));
  let last = 0;
  const proc = Bun.spawn(profile ? ["bash", "-l"] : ["bash", "-l", ...START], {
    env: profile ? { ...process.env, TERM: "xterm-256color" } : { ...process.env, HOME: emptyHome },
    cwd: "/tmp",
    terminal: {
      cols: 120,
      rows: 40,
      data: () => {
        last = performance.now();
        resolve(last - t0);
      },
    },
  });
  const ms = await first;
  while (performance.now() - last < (profile ? 1000 : 100)) await Bun.sleep(20);
  proc.kill("SIGKILL"); // an interactive bash ignores SIGTERM
  await proc.exited;
  return ms;
}

const line = (label: string, t: number[]) =>
  `  ${label.padEnd(44)} p50 ${fmt(percentile(t, 50), 3)}  p99 ${fmt(percentile(t, 99), 3)}`;

async function echo() {
  const raw = await rawPty();
  const ptyd = await viaPtyd(server);
  const ws = await viaWebSocket(server);
  const floorPty = await floor("pty");
  const floorWs = await floor("ws");
  console.log(`echo (ms), ${SAMPLES} keys 2–20 ms apart after ${WARMUP} warm-up, stty raw -echo; cat:`);
  console.log(line("raw in-process PTY:", raw));
  console.log(line("floor: Node ws → Bun WebSocket, no PTY:", floorWs));
  console.log(line("floor: Node ws → one Bun process + its PTY:", floorPty));
  console.log(line("PTY + ptyd (its Unix socket):", ptyd));
  console.log(line("Node ws → server → ptyd → PTY (OpenDray):", ws));
  console.log(
    `  added: ptyd hop p50 ${fmt(percentile(ptyd, 50) - percentile(raw, 50), 3)}, server + WebSocket hop p50 ${fmt(percentile(ws, 50) - percentile(ptyd, 50), 3)}`,
  );
  console.log(
    `  goal p50 ≤ 0.5, p99 ≤ 1.5 → ${percentile(ws, 50) <= 0.5 ? "met" : "NOT met"} at p50, ${percentile(ws, 99) <= 1.5 ? "met" : "NOT met"} at p99`,
  );
}

/** Where a session start's time goes, from the marks of a server started with HOP_TRACE. */
const START_HOPS = [
  ["create", "POST handled: the route reached create()"],
  ["start", "row saved, start()"],
  ["planned", "plan resolved (plugin, env), baseline"],
  ["spawn-asked", "output log opened, spawn sent to ptyd"],
  ["host-spawn", "ptyd has the spawn"],
  ["host-spawned", "ptyd spawned the PTY"],
  ["spawned", "the server has ptyd's reply"],
  ["started", "screen, subscribe, row updated"],
  ["pty-read", "ptyd read the shell's first byte"],
] as const;

async function startHops() {
  const dir = mkdtempSync(join(tmpdir(), "od-hops-"));
  const traced = await benchServer({ env: { HOP_TRACE: dir } });
  const runs: Awaited<ReturnType<typeof startToFirstByte>>[] = [];
  try {
    for (let i = 0; i < 10; i++) runs.push(await startToFirstByte(traced));
  } finally {
    await traced.stop();
  }
  await Bun.sleep(700);
  const marks = readMarks(dir);
  console.log("  where it goes (ms after the POST was sent, p50 of 10, a server with HOP_TRACE):");
  for (const [label, what] of START_HOPS) {
    const at = runs.map((r) => ((marks.get(label) ?? []).find((m) => m >= r.wall) ?? Number.NaN) - r.wall);
    console.log(`    ${label.padEnd(13)} ${what.padEnd(44)} ${fmt(percentile(at, 50), 2)}`);
  }
  const created = runs.map((r) => r.created);
  const total = runs.map((r) => r.total);
  console.log(
    `    POST answered at ${fmt(percentile(created, 50), 2)}; the first byte on the WS (opened after the answer) at ${fmt(percentile(total, 50), 2)}`,
  );
}

function readMarks(dir: string): Map<string, number[]> {
  const marks = new Map<string, number[]>();
  for (const f of readdirSync(dir)) {
    for (const l of readFileSync(join(dir, f), "utf8").split("\n")) {
      const [label, t] = l.split(" ");
      if (label && t) marks.set(label, [...(marks.get(label) ?? []), Number(t)]);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  for (const list of marks.values()) list.sort((a, b) => a - b);
  return marks;
}

async function starts() {
  for (const profile of [false, true]) {
    const runs: { total: number; created: number }[] = [];
    const raws: number[] = [];
    const n = profile ? 5 : 10;
    for (let i = 0; i < n; i++) {
      raws.push(await rawStart(profile));
      runs.push(await startToFirstByte(server, profile));
    }
    const total = percentile(
      runs.map((r) => r.total),
      50,
    );
    const post = percentile(
      runs.map((r) => r.created),
      50,
    );
    const raw = percentile(raws, 50);
    console.log(
      profile
        ? `terminal session start, the plugin's bash -l with root's profile (${n} runs):`
        : `terminal session start, bash --norc --noprofile (${n} runs):`,
    );
    console.log(`  in-process spawn → first byte:             p50 ${fmt(raw, 1)} ms`);
    console.log(
      `  POST /api/sessions → first byte on the WS:  p50 ${fmt(total, 1)} ms (the POST itself ${fmt(post, 1)} ms); OpenDray adds ${fmt(total - raw, 1)} ms`,
    );
    if (!profile) await startHops();
  }
}

console.log(loadLine("at the start"));
const server = await benchServer();
try {
  const only = process.env.ONLY;
  if (!only || only === "echo") await echo();
  if (!only || only === "hops") await hopBreakdown();
  if (!only || only === "start") await starts();
  console.log(loadLine("at the end"));
} finally {
  await server.stop();
  rmSync(emptyHome, { recursive: true, force: true });
}
