import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import type { AuthService } from "../../src/auth";
import { errorResponse } from "../../src/http";
import { PluginRegistry } from "../../src/plugins";
import { builtinManifests } from "../../src/plugins/builtin";
import { createSimulatorRoutes } from "../../src/simulator";
import { type AdbStub, startAdbStub } from "../stubs/adb-server";

const registry = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
const auth = { verify: (t: string) => (t === "t" ? { sub: "admin" } : null) } as unknown as AuthService;
let adb: AdbStub;
let server: { stop(force?: boolean): unknown; server: { port?: number } | null };
let base = "";

beforeAll(async () => {
  adb = startAdbStub([
    { serial: "emulator-5554", model: "Pixel_7", width: 108, height: 240 },
    { serial: "R58N123ABC", model: "SM_G991B", width: 72, height: 160 },
  ]);
  // The real adb client finds its server here instead of starting one.
  process.env.ANDROID_ADB_SERVER_PORT = String(adb.port);
  await registry.start();
  server = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(createSimulatorRoutes({ auth, registry }))
    .listen(0);
  base = `http://127.0.0.1:${server.server?.port}`;
});

afterAll(() => {
  server?.stop(true);
  registry.stop();
  adb?.stop();
});

const api = async (path: string, json?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method: json ? "POST" : "GET",
    headers: { authorization: "Bearer t", ...(json ? { "content-type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

/** A stream viewer: the config frame, then each PNG frame's arrival time. */
function watch(device: string) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/api/simulator/${device}/stream?token=t`);
  ws.binaryType = "arraybuffer";
  const frames: { at: number; bytes: Uint8Array }[] = [];
  const texts: any[] = [];
  ws.onmessage = (e) => {
    if (typeof e.data === "string") texts.push(JSON.parse(e.data));
    else frames.push({ at: Date.now(), bytes: new Uint8Array(e.data as ArrayBuffer) });
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("websocket failed"));
  });
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  const countBetween = (from: number, to: number) => frames.filter((f) => f.at >= from && f.at < to).length;
  return { ws, frames, texts, opened, send, countBetween };
}

describe("the mobile simulator panel", () => {
  test("lists the Android devices adb sees", async () => {
    const { status, body } = await api("/api/simulator/devices");
    expect(status).toBe(200);
    expect(body.android).toEqual({ available: true, error: null });
    expect(body.devices).toEqual([
      { id: "emulator-5554", platform: "android", name: "Pixel 7", state: "device" },
      { id: "R58N123ABC", platform: "android", name: "SM G991B", state: "device" },
    ]);
  });

  test("the stream sends the screen size, then PNG frames at about 8 fps while in use", async () => {
    const v = watch("emulator-5554");
    await v.opened;
    const started = Date.now();
    await Bun.sleep(2000);
    expect(v.texts[0]).toEqual({ type: "config", width: 108, height: 240, format: "png" });
    const count = v.countBetween(started, started + 2000);
    expect(count).toBeGreaterThanOrEqual(12);
    expect(count).toBeLessThanOrEqual(18);
    const first = v.frames[0]?.bytes as Uint8Array;
    expect([...first.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(Buffer.from(first).equals(Buffer.from(v.frames[1]?.bytes as Uint8Array))).toBe(false);
    v.ws.close();
  });

  test("drops to 1 fps after 5 s without activity, and back up when the user touches the screen", async () => {
    const v = watch("emulator-5554");
    await v.opened;
    await Bun.sleep(5500);
    const idleFrom = Date.now();
    await Bun.sleep(3000);
    const idle = v.countBetween(idleFrom, idleFrom + 3000);
    expect(idle).toBeGreaterThanOrEqual(2);
    expect(idle).toBeLessThanOrEqual(4);
    const tapAt = Date.now();
    expect((await api("/api/simulator/emulator-5554/input", { type: "tap", x: 50, y: 60 })).status).toBe(200);
    await Bun.sleep(1000);
    expect(v.countBetween(tapAt, tapAt + 1000)).toBeGreaterThanOrEqual(5);
    v.ws.close();
  }, 30_000);

  test("sends nothing while the page is hidden, and resumes when it is visible again", async () => {
    const v = watch("R58N123ABC");
    await v.opened;
    await Bun.sleep(500);
    expect(v.texts[0]).toEqual({ type: "config", width: 72, height: 160, format: "png" });
    v.send({ type: "visibility", visible: false });
    await Bun.sleep(300);
    const hiddenFrom = Date.now();
    const shots = adb.screencaps();
    await Bun.sleep(1500);
    expect(v.countBetween(hiddenFrom, Date.now())).toBe(0);
    expect(adb.screencaps()).toBe(shots);
    const shownAt = Date.now();
    v.send({ type: "visibility", visible: true });
    await Bun.sleep(800);
    expect(v.countBetween(shownAt, shownAt + 800)).toBeGreaterThanOrEqual(4);
    v.ws.close();
  });

  test("a tap, a swipe, a key and text arrive on the device as adb shell input", async () => {
    const before = adb.shellArgv.length;
    const dev = "/api/simulator/emulator-5554/input";
    expect((await api(dev, { type: "tap", x: 100, y: 200 })).status).toBe(200);
    expect((await api(dev, { type: "swipe", x1: 10, y1: 500, x2: 10, y2: 100, durationMs: 250 })).status).toBe(200);
    expect((await api(dev, { type: "key", key: "home" })).status).toBe(200);
    expect((await api(dev, { type: "key", key: "KEYCODE_BACK" })).status).toBe(200);
    expect((await api(dev, { type: "text", text: `it's "quoted"; rm -rf $HOME` })).status).toBe(200);
    expect(adb.shell.slice(before, before + 2)).toEqual(["input tap 100 200", "input swipe 10 500 10 100 250"]);
    expect(adb.shellArgv.slice(before)).toEqual([
      ["input", "tap", "100", "200"],
      ["input", "swipe", "10", "500", "10", "100", "250"],
      ["input", "keyevent", "KEYCODE_HOME"],
      ["input", "keyevent", "KEYCODE_BACK"],
      ["input", "text", `it's%s"quoted";%srm%s-rf%s$HOME`],
    ]);
  });

  test("bad input is a 422 naming the field; an unknown device is a 404", async () => {
    const noY = await api("/api/simulator/emulator-5554/input", { type: "tap", x: 1 });
    expect(noY.status).toBe(422);
    expect(noY.body.error.issues[0].path).toBe("y");
    const emoji = await api("/api/simulator/emulator-5554/input", { type: "text", text: "héllo" });
    expect(emoji.status).toBe(422);
    expect(emoji.body.error.issues[0].path).toBe("text");
    const kind = await api("/api/simulator/emulator-5554/input", { type: "pinch" });
    expect(kind.status).toBe(422);
    expect((await api("/api/simulator/emulator-9999/input", { type: "tap", x: 1, y: 1 })).status).toBe(404);
    const v = watch("emulator-9999");
    await v.opened;
    await Bun.sleep(500);
    expect(v.texts[0]).toMatchObject({ type: "error" });
    expect(v.texts[0].message).toContain("emulator-9999");
    expect(v.ws.readyState).toBe(WebSocket.CLOSED);
  });

  test("a disabled simulator panel answers 404", async () => {
    await registry.setEnabled("simulator", false);
    try {
      expect((await api("/api/simulator/devices")).status).toBe(404);
    } finally {
      await registry.setEnabled("simulator", true);
    }
  });
});
