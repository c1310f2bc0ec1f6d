// PTY → WebSocket throughput for 64 MB of output, as a ratio of raw in-process PTY read throughput.
import { writeFileSync } from "node:fs";
import { benchServer, fmt, SessionSocket, shellSession } from "./common";

const SIZE = 64 * 1024 * 1024;
const file = "/tmp/opendray-bench-64m.txt";
const line = `${"0123456789abcdef".repeat(7)}\n`;
writeFileSync(file, line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE));
const expected = SIZE + Math.floor(SIZE / line.length); // the PTY turns each \n into \r\n

async function rawPty(): Promise<number> {
  let got = 0;
  const t0 = performance.now();
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const proc = Bun.spawn(["cat", file], {
    terminal: {
      cols: 120,
      rows: 40,
      data(_t, bytes) {
        got += bytes.length;
        if (got >= expected) resolve();
      },
    },
  });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await proc.exited;
  return got / seconds / 1e6;
}

async function viaWebSocket(server: Awaited<ReturnType<typeof benchServer>>, screenOff = false): Promise<{ mbps: number; lost: number }> {
  const id = await shellSession(server, { extraArgs: ["-c", `read go; stty -echo; cat ${file}; sleep 2`], sessionType: "terminal" });
  const ws = new SessionSocket(server.url, id, server.token);
  await ws.until((w) => w.replayDone, "attach");
  const startCursor = ws.cursor;
  let got = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const t0 = performance.now();
  ws.ws.addEventListener("message", (e) => {
    if (typeof e.data !== "string") {
      got += (e.data as ArrayBuffer).byteLength;
      if (got >= expected) resolve();
    }
  });
  ws.send("\r");
  await Promise.race([done, Bun.sleep(120_000)]);
  const seconds = (performance.now() - t0) / 1000;
  const buffer = await server.api(`/api/sessions/${id}`);
  ws.close();
  void screenOff;
  return { mbps: got / seconds / 1e6, lost: Math.max(0, buffer.body.cursor - startCursor - got) };
}

const server = await benchServer();
try {
  const raw = [await rawPty(), await rawPty()];
  const ws = [await viaWebSocket(server), await viaWebSocket(server)];
  const rawBest = Math.max(...raw);
  const wsBest = ws.reduce((a, b) => (b.mbps > a.mbps ? b : a));
  console.log(`raw in-process PTY read: ${fmt(rawBest)} MB/s`);
  console.log(`PTY → ptyd → server → WebSocket client: ${fmt(wsBest.mbps)} MB/s, bytes lost: ${wsBest.lost}`);
  console.log(`ratio: ${fmt(wsBest.mbps / rawBest)} (goal ≥ 0.8)`);
} finally {
  await server.stop();
}
