import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { startServer, type TestServer, waitFor } from "../harness";
import { appInSession } from "./support";

const MESSAGE = 64 * 1024;
/** 4000 × 64 KB: far more than every socket buffer on the way (loopback buffers grow to 32 MB). */
const COUNT = 4000;
const TOTAL_MB = (COUNT * MESSAGE) / 1024 / 1024;
/** What may be in flight while one side does not read: kernel buffers of two hops and the bridge's 1 MB. */
const IN_FLIGHT_MB = 120;

let server: TestServer;
let dir: string;
let sessionId: string;
let appPort: number;

beforeAll(async () => {
  server = await startServer();
  // /down sends COUNT numbered messages as fast as TCP takes them (waiting for drain, as a dev server's
  // ws library does); /up reads numbered messages only after GET /read-up, checking their order.
  ({
    dir,
    sessionId,
    port: appPort,
  } = await appInSession(
    server,
    `const stats = { sent: 0, received: 0, outOfOrder: 0 };
let upSocket;
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch(req, srv) {
  const path = new URL(req.url).pathname;
  if (path.endsWith("/stats")) return Response.json(stats);
  if (path.endsWith("/read-up")) { upSocket?.resume(); return new Response("reading"); }
  if (srv.upgrade(req, { data: { path } })) return;
  return new Response("upgrade expected", { status: 400 });
}, websocket: {
  open(ws) {
    if (ws.data.path.endsWith("/up")) { upSocket = ws; stats.received = 0; stats.outOfOrder = 0; ws.pause(); return; }
    stats.sent = 0;
    ws.data.pump = () => {
      while (stats.sent < ${COUNT}) {
        const m = new Uint8Array(${MESSAGE});
        new DataView(m.buffer).setUint32(0, stats.sent);
        stats.sent++;
        if (ws.send(m) === -1) return;
      }
    };
    ws.data.pump();
  },
  drain(ws) { ws.data.pump?.(); },
  message(ws, m) {
    if (new DataView(m.buffer, m.byteOffset).getUint32(0) !== stats.received) stats.outOfOrder++;
    stats.received++;
  },
} });
console.log("ws app on http://127.0.0.1:" + server.port + "/");
`,
    /ws app on/,
  ));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const appStats = async () =>
  (await (await fetch(`http://127.0.0.1:${appPort}/stats`)).json()) as {
    sent: number;
    received: number;
    outOfOrder: number;
  };
const mb = (messages: number) => (messages * MESSAGE) / 1024 / 1024;

/** A WebSocket through a preview, with the preview's cookie; Bun's client can pause reading. */
async function previewSocket(mode: "origin" | "path", path: string) {
  const opened = await server.api("/api/preview", { method: "POST", json: { sessionId, port: appPort, mode } });
  expect(opened.status).toBe(201);
  const url = new URL(opened.body.url);
  const exchange = await fetch(url, { redirect: "manual" });
  const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const options = { headers: { cookie } } as unknown as string[];
  const base = mode === "path" ? url.pathname.replace(/\/$/, "") : "";
  const ws = new WebSocket(`ws://${url.host}${base}${path}`, options) as WebSocket & Bun.WebSocket;
  ws.binaryType = "arraybuffer";
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  return ws;
}

for (const mode of ["origin", "path"] as const)
  describe(`${mode} mode`, () => {
    test("a dev server sending faster than the phone reads is held back by the preview, and every message arrives in order", async () => {
      const ws = await previewSocket(mode, "/down");
      ws.pause();
      const received: number[] = [];
      ws.addEventListener("message", (e) => received.push(new DataView(e.data as ArrayBuffer).getUint32(0)));
      // While the reader reads nothing, the sender gets no further than what the buffers on the way hold.
      await Bun.sleep(2500);
      const whilePaused = await appStats();
      expect(mb(whilePaused.sent)).toBeLessThan(IN_FLIGHT_MB);
      // Then the slow reader reads, and gets all of it: nothing dropped on the way.
      ws.resume();
      await waitFor(() => received.length === COUNT, `${TOTAL_MB} MB to arrive`, 60_000, 50);
      expect(received.every((n, i) => n === i)).toBe(true);
      ws.close();
    });

    test("a browser sending faster than the dev server reads is held back by the preview, and every message arrives in order", async () => {
      const ws = await previewSocket(mode, "/up");
      let sent = 0;
      const message = new Uint8Array(MESSAGE);
      const pump = setInterval(() => {
        // A well-behaved sender: it sends while its own socket has room.
        while (sent < COUNT && ws.bufferedAmount < 1024 * 1024) {
          new DataView(message.buffer).setUint32(0, sent++);
          ws.send(message);
        }
      }, 1);
      try {
        await Bun.sleep(2500);
        expect(mb(sent)).toBeLessThan(IN_FLIGHT_MB);
        await fetch(`http://127.0.0.1:${appPort}/read-up`);
        await waitFor(async () => (await appStats()).received === COUNT, `${TOTAL_MB} MB to arrive`, 60_000, 50);
        expect((await appStats()).outOfOrder).toBe(0);
      } finally {
        clearInterval(pump);
        ws.close();
      }
    });
  });
