import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";

let server: TestServer;
const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));

// A long idle threshold: no running/idle change moves lastActiveAt here, only output and input do.
beforeAll(async () => {
  server = await startServer({ env: { IDLE_THRESHOLD_SECONDS: "3600" } });
});
afterAll(() => server?.stop());

const session = async (id: string) => (await server.api(`/api/sessions/${id}`)).body;
const activeAt = async (id: string) => Date.parse((await session(id)).lastActiveAt);

describe("a session card's time follows the session", () => {
  test("lastActiveAt moves with typed input and its output, not only at the start", async () => {
    const created = await server.api("/api/sessions", { method: "POST", json: { name: "sh", cwd, extraArgs: [] } });
    const id = created.body.id as string;
    // The login shell's profile is done when the prompt's line stays put.
    await waitFor(async () => (await session(id)).lastLine.length > 0, "the shell's prompt", 90_000, 200);
    await Bun.sleep(1500);
    const started = Date.parse((await session(id)).startedAt);
    const before = await activeAt(id);

    await Bun.sleep(6000);
    const typed = Date.now();
    const r = await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "echo active\r" } });
    expect(r.status).toBeLessThan(300);
    const after = await waitFor(async () => {
      const t = await activeAt(id);
      return t >= typed - 50 ? t : undefined;
    }, "lastActiveAt to follow the input");
    expect(after).toBeGreaterThan(before);
    expect(after - started).toBeGreaterThan(6000);
    await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
  }, 150_000);
});
