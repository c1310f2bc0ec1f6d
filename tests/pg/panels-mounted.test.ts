import { afterAll, beforeAll, expect, test } from "bun:test";
import { freePort, startServer, type TestServer } from "../harness";
import { type AdbStub, startAdbStub } from "../stubs/adb-server";

let server: TestServer;
let deadPort = 0;
// An adb server with no devices: without one, the adb client would start a real one.
let adb: AdbStub;

beforeAll(async () => {
  deadPort = await freePort();
  adb = startAdbStub([]);
  server = await startServer({ env: { ANDROID_ADB_SERVER_PORT: String(adb.port) } });
});
afterAll(async () => {
  await server?.stop();
  adb?.stop();
});

test("the server mounts the pg, forge, docs and simulator panels, and hides a disabled one", async () => {
  const panels = await server.api("/api/providers?kind=panel");
  const names = panels.body.map((p: any) => p.name);
  for (const n of ["pg", "forge", "docs", "simulator"]) expect(names).toContain(n);

  const conns = await server.api("/api/pg/connections");
  expect(conns.status).toBe(200);
  expect(conns.body.connections[0]).toMatchObject({ name: "default", host: "127.0.0.1", passwordSet: false });

  await server.api("/api/providers/pg/config", { method: "PUT", json: { values: { port: String(deadPort) } } });
  const unreachable = await server.api("/api/pg/default/query", { method: "POST", json: { sql: "SELECT 1" } });
  expect(unreachable.status).toBe(503);
  expect(unreachable.body.error.message).toContain("cannot connect");

  expect((await server.api("/api/forge/prs")).status).toBe(422);
  expect((await server.api("/api/forge/docs/tree")).status).toBe(400);
  const devices = await server.api("/api/simulator/devices");
  expect(devices.status).toBe(200);
  expect(devices.body.devices).toEqual([]);

  await server.api("/api/providers/pg/toggle", { method: "PATCH", json: { enabled: false } });
  const hidden = await server.api("/api/providers?kind=panel");
  expect(hidden.body.find((p: any) => p.name === "pg").enabled).toBe(false);
  expect((await server.api("/api/pg/connections")).status).toBe(404);
});
