import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";

const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));
const mounts: string[] = [];
const servers: TestServer[] = [];
const scratch: string[] = [cwd];

/** A 2 MB tmpfs at `dir`, filled to the last byte: every write of data into it fails with ENOSPC. */
function fullDisk(dir: string) {
  mkdirSync(dir, { recursive: true });
  const r = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", dir]);
  if (r.exitCode !== 0) throw new Error(`mount failed: ${r.stderr}`);
  mounts.push(dir);
  const fill = join(dir, "fill");
  expect(() => writeFileSync(fill, Buffer.alloc(4 * 1024 * 1024))).toThrow(/ENOSPC|no space/i);
  return { free: () => rmSync(fill, { force: true }) };
}

afterAll(async () => {
  for (const dir of mounts.reverse()) Bun.spawnSync(["umount", "-l", dir]);
  for (const s of servers) await s.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const health = async (s: TestServer) => {
  const r = await fetch(`${s.url}/api/health`);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};
const buffer = (s: TestServer, id: string) =>
  fetch(`${s.url}/api/sessions/${id}/buffer?token=${s.token}`).then((r) => r.text());

describe("the disk fills up", () => {
  test("a session's output that cannot be saved is reported, kept, and saved once there is room", async () => {
    const server = await startServer();
    servers.push(server);
    const dir = join(server.home, "sessions");
    const disk = fullDisk(dir);

    const s = await server.api("/api/sessions", { method: "POST", json: { name: "loud", cwd } });
    expect(s.status).toBe(201);
    const id = s.body.id as string;
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => w.replayDone, "replay_end");
    ws.send({ type: "input", data: "echo kept=$((3*3)); exit 3\r" });
    // a login shell can take a minute when another one left root's profile locked
    await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.code === 3), "exit message", 90_000);
    ws.close();

    const h = await waitFor(async () => {
      const x = await health(server);
      return x.status === 503 ? x : undefined;
    }, "health to report the failed save");
    expect(h.body).toMatchObject({ status: "degraded", db: "up", disk: "failing" });
    expect(JSON.stringify(h.body.problems)).toContain(id);
    const view = await server.api(`/api/sessions/${id}`);
    expect(view.body).toMatchObject({ status: "exited", exitCode: 3 });
    expect(view.body.problem).toContain("could not be saved");
    expect(await buffer(server, id)).toContain("kept=9");

    // restarting on a full disk does not crash-loop, and the output is still there
    await server.kill9();
    await server.restart();
    expect((await health(server)).body.disk).toBe("failing");
    await waitFor(async () => (await buffer(server, id)).includes("kept=9"), "output after a restart");

    disk.free();
    await waitFor(async () => (await health(server)).status === 200, "the save to be retried", 20_000);
    expect(readFileSync(join(dir, `${id}.out`), "utf8")).toContain("kept=9");
    expect((await server.api(`/api/sessions/${id}`)).body.problem).toBeUndefined();
  });

  test("a config file the disk refuses does not stop the server, and is written once there is room", async () => {
    const root = mkdtempSync(join(tmpdir(), "od-full-cfg-"));
    scratch.push(root);
    const disk = fullDisk(join(root, "etc"));
    const configFile = join(root, "etc", "config.toml");
    const server = await startServer({ env: { OPENDRAY_CONFIG: configFile } });
    servers.push(server);
    expect(server.token).not.toBe("");
    const h = await health(server);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ status: "degraded", disk: "failing" });
    expect(JSON.stringify(h.body.problems)).toContain("config.toml");
    expect(server.logs()).toContain("not saved");
    expect((await server.api("/api/sessions")).status).toBe(200);

    disk.free();
    await waitFor(async () => (await health(server)).status === 200, "the config to be written", 20_000);
    expect(existsSync(configFile)).toBe(true);
    expect(readFileSync(configFile, "utf8")).toContain("jwt_secret");
  });
});
