import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";

let server: TestServer;
const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));

beforeAll(async () => {
  server = await startServer({ env: { IDLE_THRESHOLD_SECONDS: "1" } });
});
afterAll(() => server?.stop());

async function shell(name = "sh") {
  const r = await server.api("/api/sessions", { method: "POST", json: { name, cwd, extraArgs: [] } });
  expect(r.status).toBe(201);
  return r.body as { id: string; status: string };
}

describe("a shell session over REST and WebSocket", () => {
  test("starts running, echoes typed input, resizes, and stops with its exit code", async () => {
    const s = await shell();
    expect(s.status).toBe("running");
    const ws = new SessionSocket(server.url, s.id, server.token);
    await ws.until((w) => w.replayDone, "replay_end");
    ws.send({ type: "input", data: "echo sum=$((40+2))\r", id: "in-1" });
    await ws.until((w) => w.text.includes("sum=42"), "echo output");
    await ws.until((w) => w.messages.some((m) => m.type === "ack" && m.id === "in-1"), "input ack");

    ws.send({ type: "resize", cols: 77, rows: 21 });
    await waitFor(async () => (await server.api(`/api/sessions/${s.id}`)).body.cols === 77, "resize persisted");
    ws.send("stty size\r");
    await ws.until((w) => w.text.includes("21 77"), "the new size inside the PTY");

    ws.send("exit 7\r");
    await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.code === 7), "exit message");
    const after = await server.api(`/api/sessions/${s.id}`);
    expect(after.body.status).toBe("exited");
    expect(after.body.exitCode).toBe(7);
    ws.close();
  });

  test("an input id is applied once even when sent twice", async () => {
    const s = await shell();
    const first = await server.api(`/api/sessions/${s.id}/input`, {
      method: "POST",
      json: { input: "echo once-$((1+1))\r", id: "dup" },
    });
    const second = await server.api(`/api/sessions/${s.id}/input`, {
      method: "POST",
      json: { input: "echo once-$((1+1))\r", id: "dup" },
    });
    expect(first.body.status).toBe("sent");
    expect(second.body.status).toBe("duplicate");
    await waitFor(
      async () =>
        (await fetch(`${server.url}/api/sessions/${s.id}/buffer?token=${server.token}`).then((r) => r.text())).includes(
          "once-2",
        ),
      "output",
    );
    await Bun.sleep(300);
    const text = await fetch(`${server.url}/api/sessions/${s.id}/buffer?token=${server.token}`).then((r) => r.text());
    expect(text.match(/once-2/g)?.length).toBe(1);
  });

  test("goes idle after the threshold and running again on output", async () => {
    const s = await shell();
    const ws = new SessionSocket(server.url, s.id, server.token);
    await ws.until((w) => w.messages.some((m) => m.type === "idle"), "idle", 10_000);
    expect((await server.api(`/api/sessions/${s.id}`)).body.status).toBe("idle");
    ws.send("echo wake\r");
    await ws.until((w) => w.messages.some((m) => m.type === "running"), "running again");
    ws.close();
  });

  test("stop ends the process group and reports it exited", async () => {
    const s = await shell();
    await server.api(`/api/sessions/${s.id}/input`, { method: "POST", json: { input: "sleep 300 & sleep 300\r" } });
    await Bun.sleep(200);
    const r = await server.api(`/api/sessions/${s.id}/stop`, { method: "POST" });
    expect(r.status).toBe(200);
    expect(r.body.session.status).toBe("exited");
    const again = await server.api(`/api/sessions/${s.id}/stop`, { method: "POST" });
    expect(again.status).toBe(409);
    const restarted = await server.api(`/api/sessions/${s.id}/start`, { method: "POST" });
    expect(restarted.body.session.status).toBe("running");
    expect(restarted.body.session.cursor).toBeGreaterThan(0);
    expect((await server.api(`/api/sessions/${s.id}`, { method: "DELETE" })).body.status).toBe("deleted");
    expect((await server.api(`/api/sessions/${s.id}`)).status).toBe(404);
  });

  test("the buffer endpoint returns bytes from a cursor with the end cursor in a header", async () => {
    const s = await shell();
    await server.api(`/api/sessions/${s.id}/input`, { method: "POST", json: { input: "echo marker-$((3*3))\r" } });
    const full = await waitFor(async () => {
      const r = await fetch(`${server.url}/api/sessions/${s.id}/buffer?since=0`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      const text = await r.text();
      return text.includes("marker-9") ? { text, end: Number(r.headers.get("x-opendray-cursor")) } : null;
    }, "marker in buffer");
    expect(full.end).toBe(new TextEncoder().encode(full.text).length);
    const tail = await fetch(
      `${server.url}/api/sessions/${s.id}/buffer?since=${full.end - 5}&token=${server.token}`,
    ).then((r) => r.arrayBuffer());
    expect(tail.byteLength).toBeGreaterThanOrEqual(5);
  });
});
