import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";
import { RawWebSocket } from "../raw-ws";
import { SessionSocket } from "../ws-client";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const counter = (n: number, delay = "0.002") =>
  `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); echo "n=$i"; sleep ${delay}; done; echo DONE\r`;

function numbers(text: string): number[] {
  return [...text.matchAll(/^n=(\d+)\r?$/gm)].map((m) => Number(m[1]));
}

async function counterSession(n: number, delay?: string) {
  const r = await server.api("/api/sessions", { method: "POST", json: { cwd: "/tmp", sessionType: "terminal" } });
  const id = r.body.id as string;
  await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "stty -echo; PS1=''\r" } });
  await Bun.sleep(100);
  await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: counter(n, delay) } });
  return id;
}

describe("catching up after a disconnect", () => {
  test("100 reconnects from the last cursor while output streams: every line exactly once", async () => {
    const id = await counterSession(3000, "0.001");
    let cursor = 0;
    let collected = new Uint8Array(0);
    for (let i = 0; i < 100; i++) {
      const ws = new SessionSocket(server.url, id, server.token, { since: cursor });
      await ws.until((w) => w.replayDone, "replay_end");
      await Bun.sleep(Math.random() * 30);
      const got = ws.bytes;
      ws.close();
      // what arrived before the close is exactly bytes [cursor, ws.cursor)
      const start = ws.messages.find((m) => m.type === "replay_start");
      expect(start?.from).toBe(cursor);
      const merged = new Uint8Array(collected.length + got.length);
      merged.set(collected);
      merged.set(got, collected.length);
      collected = merged;
      cursor = ws.cursor;
    }
    const final = new SessionSocket(server.url, id, server.token, { since: cursor });
    await final.until((w) => w.text.includes("DONE"), "counter to finish", 60_000);
    const all = new TextDecoder().decode(collected) + final.text;
    final.close();
    const seen = numbers(all);
    expect(seen.length).toBe(3000);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
  });

  test("a slow client does not stall a fast one, and catches up from the log without a gap", async () => {
    const id = await counterSession(0);
    const fast = new SessionSocket(server.url, id, server.token);
    await fast.until((w) => w.replayDone, "fast replay");
    const slow = new RawWebSocket(server.port, `/api/sessions/${id}/ws?token=${server.token}`);
    await waitFor(() => slow.texts.some((m) => m.type === "replay_end"), "slow replay");
    slow.pause();
    await server.api(`/api/sessions/${id}/input`, {
      method: "POST",
      json: { input: "head -c 30000000 /dev/zero | tr '\\0' 'x'; echo; echo FLOOD-END\r" },
    });
    await fast.until(
      (w) => w.recent.includes("FLOOD-END"),
      "the fast client to see the end while the slow one sleeps",
      60_000,
    );
    // Whatever it lagged, the fast client is caught up from the log on disk: every byte.
    const fastX = fast.bytes.reduce((n, b) => n + (b === 0x78 ? 1 : 0), 0);
    const skippedFast = fast.messages.filter((m) => m.type === "skipped");
    expect(fastX + skippedFast.reduce((n, m) => n + m.to - m.from, 0)).toBeGreaterThanOrEqual(30_000_000);
    expect(fast.messages.some((m) => m.type === "replay_start" && m.truncated)).toBe(false);
    slow.resume();
    await waitFor(
      () => slow.binaries.some((b) => b.bytes.includes("FLOOD-END")),
      "the slow client to catch up",
      60_000,
    );
    expect(slow.texts.some((m) => m.type === "replay_start" && m.truncated)).toBe(false);
    const slowX = slow.binaries.reduce((n, b) => n + b.bytes.reduce((k, x) => k + (x === 0x78 ? 1 : 0), 0), 0);
    const skipped = slow.texts.filter((m) => m.type === "skipped");
    // a slow client gets every byte, or is told exactly which it skipped (a screen stands in for them)
    if (skipped.length === 0) expect(slowX).toBe(30_000_000);
    else for (const m of skipped) expect(slow.texts[slow.texts.indexOf(m) + 1]?.type).toBe("snapshot");
    fast.close();
    slow.close();
  });
});

describe("a flood of output", () => {
  test("40 MB printed as fast as the PTY allows reach an attached client whole and in order", async () => {
    const lines = 400_000;
    const fill = "0123456789abcdef".repeat(6);
    const line = (i: number) => `${String(i).padStart(8, "0")} ${fill}`;
    const total = lines * (line(1).length + 2); // the PTY turns each \n into \r\n
    // long lines from cat: the PTY carries them at full speed, as from an agent dumping a file
    const file = `${server.home}/flood.txt`;
    await Bun.write(file, `${Array.from({ length: lines }, (_, i) => line(i + 1)).join("\n")}\n`);
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: {
        cwd: "/tmp",
        sessionType: "terminal",
        extraArgs: ["-c", `stty -echo; echo READY; read go; cat ${file}; sleep 30`],
      },
    });
    const id = r.body.id as string;
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => w.replayDone && w.text.includes("READY"), "the shell");
    const from = ws.cursor;
    const skip = ws.bytes.length;
    ws.send("\r");
    await ws.until((w) => w.cursor - from >= total, "every line", 60_000);
    // a client that falls behind may be told it lagged and be caught up, but never with a gap
    const replays = ws.messages.filter((m) => m.type === "replay_start");
    expect(replays.every((m) => m.truncated === false)).toBe(true);
    const received = new TextDecoder().decode(ws.bytes.subarray(skip)).split("\r\n");
    expect(received.length).toBe(lines + 1);
    expect(received.slice(0, lines).every((l, i) => l === line(i + 1))).toBe(true);
    expect((await server.api(`/api/sessions/${id}`)).body.cursor - from).toBe(total);
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  }, 120_000);
});

describe("the server crashes", () => {
  test("kill -9 and restart while a session prints a counter: the session survives and every number arrives once", async () => {
    const id = await counterSession(400, "0.01");
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => numbers(w.text).length > 20, "some numbers before the crash");
    await server.kill9();
    await Bun.sleep(300);
    const before = ws.text;
    const cursor = ws.cursor;
    await server.restart();
    const s = await server.api(`/api/sessions/${id}`);
    expect(["running", "idle"]).toContain(s.body.status);
    const again = new SessionSocket(server.url, id, server.token, { since: cursor });
    await again.until((w) => w.text.includes("DONE"), "the counter to finish after the restart", 30_000);
    const seen = numbers(before + again.text);
    expect(seen).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    again.close();
    await waitFor(async () => (await server.api("/api/health")).body.status === "ok", "health");
  });
});
