import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { postmasterPid } from "../../src/store";
import { freePort, MAIN, ROOT, startServer, type TestServer } from "../harness";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

/** Starts a second server on the same home (another port) and waits for it to give up. */
async function secondServer() {
  const port = await freePort();
  const proc = Bun.spawn([process.execPath, MAIN], {
    env: { ...server.env, LISTEN_ADDR: `127.0.0.1:${port}` },
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(30_000).then(() => false)]);
  if (!exited) {
    proc.kill("SIGKILL");
    await proc.exited;
  }
  return { exited, code: proc.exitCode, stderr: await new Response(proc.stderr).text(), port };
}

describe("one server per OPENDRAY_HOME", () => {
  test("a second server refuses to start, naming the running one, and leaves its Postgres alone", async () => {
    const lock = readFileSync(join(server.home, "run", "server.lock"), "utf8").split("\n");
    expect(Number(lock[0])).toBe(server.pid());
    expect(lock[1]).toBe(server.url);
    const pg = postmasterPid(join(server.home, "pg", "data"));
    expect(pg).toBeGreaterThan(0);

    const second = await secondServer();
    expect(second.exited).toBe(true);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${server.pid()}`);
    expect(second.stderr).toContain(server.url);
    expect((await fetch(`http://127.0.0.1:${second.port}/api/health`).catch(() => null))?.ok ?? false).toBe(false);

    expect(postmasterPid(join(server.home, "pg", "data"))).toBe(pg as number);
    const created = await server.api("/api/sessions", {
      method: "POST",
      json: { name: "still-here", cwd: server.home, autoStart: false },
    });
    expect(created.status).toBe(201);
  });

  test("the lock of a server that died is taken over on the next start", async () => {
    const before = (await server.api("/api/sessions")).body.length as number;
    const dead = server.pid();
    await server.kill9();
    expect(Number(readFileSync(join(server.home, "run", "server.lock"), "utf8").split("\n")[0])).toBe(dead);
    await server.restart();
    expect(Number(readFileSync(join(server.home, "run", "server.lock"), "utf8").split("\n")[0])).toBe(server.pid());
    expect((await server.api("/api/sessions")).body.length).toBe(before);
  });
});
