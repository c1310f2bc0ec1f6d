import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { readConfigFile } from "../../src/config";
import { startServer, type TestServer, waitFor } from "../harness";

let server: TestServer;
let sql: postgres.Sql;
const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));

beforeAll(async () => {
  server = await startServer({ env: { IDLE_THRESHOLD_SECONDS: "2" } });
  // The test's own connection to the bundled cluster: what a restarted server (or a list read) starts from.
  const lines = readFileSync(join(server.home, "pg", "data", "postmaster.pid"), "utf8").split("\n");
  const config = readConfigFile(join(server.home, "config.toml")) as { db: { embedded: { password: string } } };
  sql = postgres({
    path: join(lines[4] ?? "", ".s.PGSQL.5432"),
    user: "opendray",
    password: config.db.embedded.password,
    database: "opendray",
    max: 1,
    onnotice: () => {},
  });
});
afterAll(async () => {
  await sql?.end();
  await server?.stop();
});

const row = async (id: string) =>
  (await sql<{ status: string; cursor: string }[]>`SELECT status, cursor FROM sessions WHERE id = ${id}`)[0];
const view = async (id: string) => (await server.api(`/api/sessions/${id}`)).body;

describe("a session's stored row follows the session", () => {
  test("the row's status goes idle and running with the session, and its cursor follows the output", async () => {
    const created = await server.api("/api/sessions", { method: "POST", json: { cwd, extraArgs: [] } });
    const id = created.body.id as string;
    await waitFor(async () => (await view(id)).status === "idle", "the shell to go idle at its prompt", 90_000, 200);
    await waitFor(async () => (await row(id))?.status === "idle", "the row to say idle");

    // Output for ~9 s with no pause long enough to go idle: only the output moves the cursor.
    await server.api(`/api/sessions/${id}/input`, {
      method: "POST",
      json: { input: "for i in $(seq 1 30); do echo tick$i; sleep 0.3; done\r" },
    });
    await waitFor(async () => (await row(id))?.status === "running", "the row to say running");
    const atStart = Number((await row(id))?.cursor);
    const moved = await waitFor(
      async () => {
        const r = await row(id);
        return r && r.status === "running" && Number(r.cursor) > atStart + 50 ? r : undefined;
      },
      "the stored cursor to move while the output runs",
      8000,
      200,
    );
    expect(moved.status).toBe("running");

    await waitFor(async () => (await view(id)).status === "idle", "the loop to end", 30_000, 200);
    const end = (await view(id)).cursor as number;
    await waitFor(async () => Number((await row(id))?.cursor) === end && (await row(id))?.status === "idle", "the row");
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  }, 150_000);
});
