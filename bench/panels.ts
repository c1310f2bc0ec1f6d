/**
 * The panels' own costs: the simulator stream's frame rate (in use, idle, hidden) through the real
 * adb client against the local adb server (a 1080x2400 PNG; a real device's screencap is slower and
 * caps the rate), and the PostgreSQL panel's guard (read-only transaction, role, plan check,
 * rollback) on `SELECT 1` against a plain postgres.js query.   bun bench/panels.ts
 */
import { Elysia } from "elysia";
import type { AuthService } from "../src/auth";
import { PgBrowser } from "../src/pg";
import { pgSettings } from "../src/pg/connections";
import { PluginRegistry } from "../src/plugins";
import { builtinManifests } from "../src/plugins/builtin";
import { createSimulatorRoutes } from "../src/simulator";
import { startTargetPg } from "../tests/pg/target-pg";
import { startAdbStub } from "../tests/stubs/adb-server";
import { fmt, percentile } from "./common";

const adb = startAdbStub([{ serial: "emulator-5554", model: "Pixel_7", width: 1080, height: 2400 }]);
process.env.ANDROID_ADB_SERVER_PORT = String(adb.port);
const registry = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
await registry.start();
const auth = { verify: () => ({ sub: "bench" }) } as unknown as AuthService;
const app = new Elysia().use(createSimulatorRoutes({ auth, registry })).listen(0);
const ws = new WebSocket(`ws://127.0.0.1:${app.server?.port}/api/simulator/emulator-5554/stream?token=t`);
const frames: number[] = [];
ws.onmessage = (e) => {
  if (typeof e.data !== "string") frames.push(Date.now());
};
await new Promise((resolve) => {
  ws.onopen = resolve;
});
const rate = async (ms: number) => {
  const from = Date.now();
  await Bun.sleep(ms);
  return frames.filter((t) => t >= from).length / (ms / 1000);
};
await Bun.sleep(500);
const active = await rate(3000);
await Bun.sleep(2000);
const idle = await rate(5000);
ws.send(JSON.stringify({ type: "visibility", visible: false }));
await Bun.sleep(300);
const hidden = await rate(2000);
console.log(`simulator stream: in use ${fmt(active, 1)} fps, idle ${fmt(idle, 1)} fps, hidden ${fmt(hidden, 1)} fps`);
ws.close();
await app.stop(true);
registry.stop();
adb.stop();

const target = await startTargetPg();
const browser = new PgBrowser();
const spec = {
  name: "default",
  host: target.socketDir,
  port: 5432,
  database: "postgres",
  user: target.user,
  password: target.password,
  sslmode: "disable" as const,
  source: "config" as const,
};
const direct = target.admin();
const latency = async (f: () => Promise<unknown>) => {
  for (let i = 0; i < 20; i++) await f();
  const xs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const s = performance.now();
    await f();
    xs.push(performance.now() - s);
  }
  return `p50 ${fmt(percentile(xs, 50))} ms, p99 ${fmt(percentile(xs, 99))} ms`;
};
const settings = pgSettings({});
console.log(
  `pg panel SELECT 1: ${await latency(() => browser.query(spec, settings, { sql: "SELECT 1", params: [] }))}`,
);
console.log(`plain postgres.js SELECT 1: ${await latency(() => direct`SELECT 1`)}`);
await browser.close();
await target.stop();
