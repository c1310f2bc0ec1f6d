import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postmasterPid } from "../../src/store";
import { startServer, type TestServer, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";

let server: TestServer;
const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const health = async () => {
  const r = await fetch(`${server.url}/api/health`);
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

/** SIGKILLs the bundled postmaster, and every one the server starts again, until `release()`. */
function keepPostgresDown() {
  const dataDir = join(server.home, "pg", "data");
  let on = true;
  let kills = 0;
  const loop = (async () => {
    while (on) {
      const pid = postmasterPid(dataDir);
      if (pid) {
        process.kill(pid, "SIGKILL");
        kills++;
      }
      await Bun.sleep(10);
    }
  })();
  return {
    kills: () => kills,
    release: async () => {
      on = false;
      await loop;
    },
  };
}

describe("the bundled Postgres is killed with SIGKILL", () => {
  test("health says degraded, sessions keep working from memory, writes land once it is back", async () => {
    const created = await server.api("/api/sessions", { method: "POST", json: { name: "survivor", cwd } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ws = new SessionSocket(server.url, id, server.token);
    await ws.until((w) => w.replayDone, "replay_end");
    ws.send({ type: "input", data: "echo before=$((1+1))\r" });
    // a login shell can take a minute when another one left root's profile locked
    await ws.until((w) => w.text.includes("before=2"), "output before the outage", 90_000);
    expect((await health()).body).toMatchObject({ status: "ok", db: "up" });

    const outage = keepPostgresDown();
    try {
      const degraded = await waitFor(async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      }, "health to answer 503");
      expect(degraded.body).toMatchObject({ status: "degraded", db: "down" });

      // a route that needs the database answers 503 with a clear message, not 500
      const refused = await server.api("/api/sessions", { method: "POST", json: { name: "new", cwd } });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("unavailable");
      expect(refused.body.error.message).toContain("database");

      // the running session: listed, attached, typed into, all from memory
      const list = await server.api("/api/sessions");
      expect(list.status).toBe(200);
      expect(list.body.map((s: { id: string }) => s.id)).toContain(id);
      ws.send({ type: "input", data: "echo during=$((2+2))\r" });
      await ws.until((w) => w.text.includes("during=4"), "output during the outage");
      const second = new SessionSocket(server.url, id, server.token);
      await second.until((w) => w.replayDone && w.text.includes("during=4"), "a new WebSocket replaying");
      second.close();

      // the session ends while the database is down: its exit must not be lost
      ws.send({ type: "input", data: "exit 5\r" });
      await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.code === 5), "exit message");
      const shown = await server.api(`/api/sessions/${id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ status: "exited", exitCode: 5 });
      expect(outage.kills()).toBeGreaterThan(0);
    } finally {
      await outage.release();
      ws.close();
    }

    await waitFor(async () => (await health()).status === 200, "the server to restart Postgres", 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}\n${server.logs()}`);
    });
    expect((await health()).body).toMatchObject({ status: "ok", db: "up" });
    const again = await server.api("/api/sessions", { method: "POST", json: { name: "after", cwd } });
    expect(again.status).toBe(201);

    // a fresh server process reads only the database: the exit written during the outage is there
    await waitFor(
      async () => (await server.api(`/api/sessions/${id}`)).body.exitCode === 5,
      "the kept exit to be read back from the database",
    );
    await server.kill9();
    await server.restart();
    const persisted = await server.api(`/api/sessions/${id}`);
    expect(persisted.body).toMatchObject({ status: "exited", exitCode: 5 });
    expect(persisted.body.cursor).toBeGreaterThan(0);
    const out = await fetch(`${server.url}/api/sessions/${id}/buffer?token=${server.token}`).then((r) => r.text());
    expect(out).toContain("during=4");
  });
});
