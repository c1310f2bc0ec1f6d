import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, tempDir } from "../files/app";
import { startServer, type TestServer, waitFor } from "../harness";
import { SessionSocket } from "../ws-client";

let server: TestServer;
const cwd = tempDir("opendray-tasks-");
writeFileSync(
  join(cwd, "package.json"),
  JSON.stringify({
    packageManager: "bun@1.2.0",
    scripts: { hello: "echo hello-from-$((6*7))", fail: "exit 3" },
  }),
);
writeFileSync(join(cwd, "Makefile"), "slow:\n\t@sleep 4; echo slow-done-$$((1+1))\nhang:\n\t@sleep 120\n");

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  cleanup();
});

const tasks = async () => {
  const r = await server.api(`/api/tasks?cwd=${encodeURIComponent(cwd)}`);
  expect(r.status).toBe(200);
  return Object.fromEntries(r.body.tasks.map((t: { name: string; id: string }) => [t.name, t])) as Record<
    string,
    { id: string; command: string; source: string }
  >;
};
const run = (taskId: string) => server.api("/api/tasks/run", { method: "POST", json: { cwd, taskId } });
const session = async (id: string) => (await server.api(`/api/sessions/${id}`)).body;

test("tasks are listed with their runner; a run is a session whose output and exit code arrive", async () => {
  const t = await tasks();
  expect(t.hello).toMatchObject({ source: "package.json", command: "bun run hello" });
  expect(t.slow).toMatchObject({ source: "make", command: "make slow" });
  const r = await run(t.slow?.id as string);
  expect(r.status).toBe(201);
  expect(r.body.session).toMatchObject({ sessionType: "task", name: "task: slow", cwd });
  const ws = new SessionSocket(server.url, r.body.session.id, server.token);
  await ws.until((w) => w.text.includes("slow-done-2"), "the task's output", 30_000);
  await ws.until((w) => w.messages.some((m) => m.type === "exit" && m.code === 0), "exit 0", 30_000);
  ws.close();
  const runs = (await server.api("/api/tasks/runs")).body.runs;
  const mine = runs.find((x: { sessionId: string }) => x.sessionId === r.body.session.id);
  expect(mine).toMatchObject({ name: "slow", status: "exited", exitCode: 0, taskId: t.slow?.id });
  expect(mine.durationMs).toBeGreaterThanOrEqual(3500);
  const again = await server.api(`/api/tasks/runs/${r.body.session.id}/rerun`, { method: "POST" });
  expect(again.status).toBe(201);
  expect(again.body.session.id).not.toBe(r.body.session.id);
  await waitFor(async () => (await session(again.body.session.id)).status === "exited", "the rerun to finish", 30_000);
});

test("bad ids and directories answer 4xx naming the field", async () => {
  expect((await run("0123456789abcdef")).status).toBe(404);
  const bad = await server.api("/api/tasks/run", { method: "POST", json: { cwd, taskId: "nope" } });
  expect(bad.status).toBe(422);
  expect(bad.body.error.issues[0].path).toBe("taskId");
  const rel = await server.api("/api/tasks?cwd=relative/dir");
  expect(rel.status).toBe(422);
  expect((await server.api(`/api/tasks?cwd=${encodeURIComponent(join(cwd, "missing"))}`)).status).toBe(422);
});

test("at most 4 run at once (409 beyond), and a running task survives a server restart", async () => {
  const t = await tasks();
  const hang = t.hang?.id as string;
  const started: string[] = [];
  for (let i = 0; i < 3; i++) started.push((await run(hang)).body.session.id);
  const slow = await run(t.slow?.id as string);
  expect(slow.status).toBe(201);
  const fifth = await run(hang);
  expect(fifth.status).toBe(409);
  expect(fifth.body.error.code).toBe("conflict");

  await server.kill9();
  await server.restart();
  const after = await session(slow.body.session.id);
  expect(["running", "idle"]).toContain(after.status);
  const ws = new SessionSocket(server.url, slow.body.session.id, server.token);
  await ws.until((w) => w.text.includes("slow-done-2"), "the output finished after the restart", 30_000);
  await waitFor(async () => (await session(slow.body.session.id)).exitCode === 0, "exit 0 recorded", 30_000);
  ws.close();
  for (const id of started) await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
});

test("a task past its timeout is stopped", async () => {
  const put = await server.api("/api/providers/tasks/config", {
    method: "PUT",
    json: { values: { timeoutSeconds: "1" } },
  });
  expect(put.status).toBe(200);
  const t = await tasks();
  const r = await run(t.hang?.id as string);
  await waitFor(
    async () => (await session(r.body.session.id)).status === "exited",
    "the timed-out task to stop",
    20_000,
  );
});
