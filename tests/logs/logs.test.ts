import { afterAll, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, renameSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LogFrame } from "../../src/logs";
import { createLogsRoutes } from "../../src/logs";
import { appWith, auth, cleanup, fakeSessions, registry, tempDir } from "../files/app";
import { waitFor } from "../harness";

const SID = "11111111-1111-4111-8111-111111111111";
const root = tempDir("opendray-logs-");
mkdirSync(join(root, "logs"));
mkdirSync(join(root, "node_modules"));
writeFileSync(join(root, "node_modules", "dep.log"), "x\n");
writeFileSync(join(root, "notes.md"), "x\n");
symlinkSync("/var/log", join(root, "system"));
const { app, call } = appWith(
  createLogsRoutes({ auth, registry: registry(), sessions: fakeSessions({ [SID]: root }), allowedOrigins: [] }),
);
const server = app.listen({ hostname: "127.0.0.1", port: 0 });
afterAll(() => {
  server.stop();
  cleanup();
});
/** A WebSocket upgrade request over plain HTTP, to see the status a refused upgrade answers. */
async function upgrade(query: string, token = "t") {
  const r = await fetch(`http://127.0.0.1:${server.server?.port}/api/logs/ws?${query}`, {
    headers: {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
const base = () => `ws://127.0.0.1:${server.server?.port}/api/logs/ws`;

class LogSocket {
  frames: LogFrame[] = [];
  ws: WebSocket;
  constructor(params: string) {
    this.ws = new WebSocket(`${base()}?token=t&sessionId=${SID}&${params}`);
    this.ws.onmessage = (e) => this.frames.push(JSON.parse(String(e.data)));
  }
  get lines() {
    return this.frames.flatMap((f) =>
      f.type === "lines" ? f.lines : f.type === "rotated" ? [`--- ${f.reason} ---`] : [],
    );
  }
  get cursor() {
    return this.frames.reduce((c, f) => (f.type === "lines" ? f.cursor : f.type === "rotated" ? 0 : c), -1);
  }
  until(check: (s: LogSocket) => boolean, what: string) {
    return waitFor(() => check(this), what, 10_000);
  }
}

test("a log is followed from the last 64 KB, line by line, and resumes from its byte cursor", async () => {
  const file = join(root, "logs", "app.log");
  const old = Array.from({ length: 2000 }, (_, i) => `old line ${i} ${"x".repeat(40)}`).join("\n");
  writeFileSync(file, `${old}\n`);
  const a = new LogSocket("path=logs/app.log");
  await a.until((s) => s.lines.includes(`old line 1999 ${"x".repeat(40)}`), "the backlog");
  const ready = a.frames[0];
  expect(ready?.type).toBe("ready");
  expect(a.lines.length).toBeLessThan(2000);
  expect(a.lines[0]).toMatch(/^old line \d+ x+$/);
  appendFileSync(file, "new one\nnew two\npartial");
  await a.until((s) => s.lines.includes("new two"), "appended lines");
  expect(a.lines).not.toContain("partial");
  const cursor = a.cursor;
  a.ws.close();
  appendFileSync(file, " finished\nafter reconnect\n");
  const b = new LogSocket(`path=logs/app.log&since=${cursor}`);
  await b.until((s) => s.lines.includes("after reconnect"), "lines after the cursor");
  expect(b.lines).toEqual(["partial finished", "after reconnect"]);
  b.ws.close();
});

test("rotation by a new file and by truncation is marked, then the new content follows", async () => {
  const file = join(root, "logs", "rot.log");
  writeFileSync(file, "first\n");
  const s = new LogSocket("path=logs/rot.log");
  await s.until((x) => x.lines.includes("first"), "first line");
  renameSync(file, `${file}.1`);
  writeFileSync(file, "fresh file\n");
  await s.until((x) => x.lines.includes("fresh file"), "the new file");
  expect(s.lines).toEqual(["first", "--- inode ---", "fresh file"]);
  truncateSync(file, 0);
  await Bun.sleep(400);
  appendFileSync(file, "after truncate\n");
  await s.until((x) => x.lines.includes("after truncate"), "after truncation");
  expect(s.lines.slice(3)).toEqual(["--- shrink ---", "after truncate"]);
  s.ws.close();
});

test("grep filters on the server; an invalid regex is a 400 before any socket", async () => {
  const file = join(root, "logs", "grep.log");
  writeFileSync(file, "INFO ok\nERROR disk full\nINFO fine\nERROR again\n");
  const s = new LogSocket(`path=logs/grep.log&grep=${encodeURIComponent("^ERROR")}`);
  await s.until((x) => x.lines.length === 2, "two error lines");
  expect(s.lines).toEqual(["ERROR disk full", "ERROR again"]);
  s.ws.close();
  const bad = await upgrade(`sessionId=${SID}&path=logs/grep.log&grep=${encodeURIComponent("(")}`);
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues[0].path).toBe("grep");
});

test("only log files under the root: others refused, symlinks out refused, a listing skips dependencies", async () => {
  const ws = (p: string) => upgrade(`sessionId=${SID}&path=${encodeURIComponent(p)}`);
  expect((await ws("notes.md")).status).toBe(422);
  expect((await ws("../x.log")).status).toBe(422);
  expect((await ws("system/dpkg.log")).status).toBe(403);
  expect((await ws("logs/missing.log")).status).toBe(404);
  expect((await upgrade(`sessionId=${SID}&path=logs/app.log`, "")).status).toBe(401);
  const list = await call("GET", `/api/logs?sessionId=${SID}`);
  expect(list.status).toBe(200);
  // rot.log.1 (a rotated copy) and node_modules/dep.log are not offered.
  expect(list.body.files.map((f: { path: string }) => f.path).sort()).toEqual([
    "logs/app.log",
    "logs/grep.log",
    "logs/rot.log",
  ]);
});
