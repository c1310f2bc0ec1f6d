import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { RawWebSocket } from "../raw-ws";
import { SessionSocket } from "../ws-client";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const MB = 1024 * 1024;

/** A shell without echo or prompt, waiting for commands. */
async function quietShell(target = server) {
  const r = await target.api("/api/sessions", {
    method: "POST",
    json: { cwd: "/tmp", sessionType: "terminal", extraArgs: ["-c", "stty -echo; exec bash --norc --noprofile"] },
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  await target.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "stty -echo; PS1=''\r" } });
  await Bun.sleep(200);
  return id;
}

const cursorOf = async (id: string, target = server) => (await target.api(`/api/sessions/${id}`)).body.cursor as number;

async function print(id: string, command: string, until: string, target = server) {
  const before = await cursorOf(id, target);
  // the quotes keep the marker out of the echoed command line
  const marker = `${until.slice(0, 2)}""${until.slice(2)}`;
  await target.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: `${command}; echo ${marker}\r` } });
  const watch = new SessionSocket(target.url, id, target.token, { since: before });
  await watch.until((w) => w.recent.includes(until), until, 60_000);
  watch.close();
  return before;
}

const count = (bytes: Uint8Array, byte: number) => bytes.reduce((n, b) => n + (b === byte ? 1 : 0), 0);

describe("the whole output is kept on disk", () => {
  test("a replay from a cursor 30 MB back, far beyond the 4 MiB ring, arrives whole", async () => {
    const id = await quietShell();
    const before = await print(id, "head -c 30000000 /dev/zero | tr '\\0' 'x'; echo", "FLOOD-END");
    const ws = new SessionSocket(server.url, id, server.token, { since: before });
    await ws.until((w) => w.replayDone, "the replay", 60_000);
    const start = ws.messages.find((m) => m.type === "replay_start");
    expect(start).toEqual({ type: "replay_start", from: before, truncated: false });
    expect(count(ws.bytes, 0x78)).toBe(30_000_000);
    expect(ws.text).toContain("FLOOD-END");
    ws.close();

    const r = await fetch(`${server.url}/api/sessions/${id}/buffer?since=${before}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(r.headers.get("x-opendray-from")).toBe(String(before));
    expect(r.headers.get("x-opendray-truncated")).toBe("false");
    const body = new Uint8Array(await r.arrayBuffer());
    expect(count(body, 0x78)).toBe(30_000_000);
    expect(Number(r.headers.get("x-opendray-cursor"))).toBe(before + body.length);

    // a range in the middle, as the UI loads a skipped part
    const mid = await fetch(
      `${server.url}/api/sessions/${id}/buffer?since=${before + 10 * MB}&until=${before + 12 * MB}`,
      {
        headers: { authorization: `Bearer ${server.token}` },
      },
    );
    const part = new Uint8Array(await mid.arrayBuffer());
    expect(part.length).toBe(2 * MB);
    expect(count(part, 0x78)).toBe(2 * MB);
  }, 120_000);

  test("the transcript of an exited session downloads whole, as a file", async () => {
    const id = await quietShell();
    await print(id, "seq 1 2000000", "SEQ-END");
    await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "exit\r" } });
    await waitFor(async () => (await server.api(`/api/sessions/${id}`)).body.status === "exited", "exit", 15_000);
    const r = await fetch(`${server.url}/api/sessions/${id}/transcript?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toContain("attachment");
    const text = await r.text();
    const numbers = [...text.matchAll(/^(\d+)\r$/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBe(2_000_000);
    expect(numbers[0]).toBe(1);
    expect(numbers.at(-1)).toBe(2_000_000);
    expect(Number(r.headers.get("x-opendray-cursor"))).toBe(await cursorOf(id));
  }, 120_000);
});

describe("a client that falls behind", () => {
  test("paused for less than the lag limit, it catches up from the log without losing a byte", async () => {
    const id = await quietShell();
    const slow = new RawWebSocket(server.port, `/api/sessions/${id}/ws?token=${server.token}`);
    await waitFor(() => slow.texts.some((m) => m.type === "replay_end"), "slow replay");
    slow.pause();
    await server.api(`/api/sessions/${id}/input`, {
      method: "POST",
      json: { input: "head -c 30000000 /dev/zero | tr '\\0' 'x'; echo; echo FLOOD-END\r" },
    });
    await Bun.sleep(1000);
    slow.resume();
    await waitFor(
      () => slow.binaries.some((b) => b.bytes.includes("FLOOD-END")),
      "the slow client to catch up",
      60_000,
    );
    const all = Buffer.concat(slow.binaries.map((b) => b.bytes));
    expect(count(all, 0x78)).toBe(30_000_000);
    expect(slow.texts.some((m) => m.type === "skipped" || m.truncated)).toBe(false);
    slow.close();
  }, 120_000);

  test("more than the lag limit behind, it is told what was skipped, gets the screen, and continues live", async () => {
    const id = await quietShell();
    const slow = new RawWebSocket(server.port, `/api/sessions/${id}/ws?token=${server.token}`);
    await waitFor(() => slow.texts.some((m) => m.type === "replay_end"), "slow replay");
    const start = (slow.texts.find((m) => m.type === "replay_end") as { cursor: number }).cursor;
    slow.pause();
    await server.api(`/api/sessions/${id}/input`, {
      method: "POST",
      json: { input: "head -c 40000000 /dev/zero | tr '\\0' 'x'; echo; echo FLOOD-END; sleep 3; echo AFTER\r" },
    });
    await Bun.sleep(3000);
    slow.resume();
    await waitFor(() => slow.binaries.some((b) => b.bytes.includes("AFTER")), "live output after the skip", 60_000);
    const skipped = slow.texts.find((m) => m.type === "skipped") as { from: number; to: number };
    expect(skipped).toBeDefined();
    const at = slow.texts.indexOf(skipped);
    const snapshot = slow.texts[at + 1];
    expect(snapshot).toMatchObject({ type: "snapshot", cursor: skipped.to });
    expect(slow.texts[at + 2]).toEqual({ type: "replay_start", from: skipped.to, truncated: false });
    // every byte before the skip arrived, then the screen, then the bytes after it: nothing missing silently
    const replayEnd = slow.texts.findIndex((m) => m.type === "replay_end");
    const before = slow.binaries.filter((b) => b.afterText >= replayEnd && b.afterText < at);
    const sentBefore = before.reduce((n, b) => n + b.bytes.length, 0);
    expect(skipped.from).toBe(start + sentBefore);
    const screen = slow.binaries.find((b) => b.afterText === at + 1);
    expect(screen?.bytes.toString()).toContain("xxxxxxxx");
    const after = slow.binaries.filter((b) => b.afterText >= at + 2);
    const total = await cursorOf(id);
    const sentAfter = after.reduce((n, b) => n + b.bytes.length, 0);
    const later = slow.texts.slice(at + 3).filter((m) => m.type === "skipped");
    const skippedLater = later.reduce((n, m) => n + m.to - m.from, 0);
    expect(skipped.to + sentAfter + skippedLater - later.length * 0).toBeLessThanOrEqual(total);
    expect(Buffer.concat(after.map((b) => b.bytes)).toString()).toContain("AFTER");
    // the skipped range can still be loaded
    const r = await fetch(`${server.url}/api/sessions/${id}/buffer?since=${skipped.from}&until=${skipped.to}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect((await r.arrayBuffer()).byteLength).toBe(skipped.to - skipped.from);
    slow.close();
  }, 120_000);
});

describe("the log's cap", () => {
  test("beyond sessions.log_max_mb the oldest output is dropped first and the newest is kept", async () => {
    const small = await startServer({ env: { SESSION_LOG_MAX_MB: "8" } });
    try {
      const id = await quietShell(small);
      await print(id, "seq 1 3000000", "SEQ-END", small);
      const dir = join(small.home, "sessions", id);
      const held = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
      expect(held).toBeLessThanOrEqual(8 * MB);
      expect(held).toBeGreaterThan(6 * MB);
      const r = await fetch(`${small.url}/api/sessions/${id}/buffer?since=0`, {
        headers: { authorization: `Bearer ${small.token}` },
      });
      const oldest = Number(r.headers.get("x-opendray-buffer-start"));
      expect(oldest).toBeGreaterThan(0);
      expect(r.headers.get("x-opendray-truncated")).toBe("true");
      const text = await r.text();
      // (the first line may begin mid-number)
      const numbers = [...text.matchAll(/^(\d+)\r$/gm)].map((m) => Number(m[1])).slice(1);
      // the newest numbers, in order, up to the last one
      expect(numbers.at(-1)).toBe(3_000_000);
      expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1)).toBe(true);
      // more than the 4 MiB ring: the rest came from the log on disk
      expect(text.length).toBe(held);
    } finally {
      await small.stop();
    }
  }, 120_000);
});
