import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, git, tempDir } from "../files/app";
import { startServer, type TestServer } from "../harness";
import { SessionSocket } from "../ws-client";

let server: TestServer;
const cwd = tempDir("opendray-live-");
git(cwd, "init", "-q", "-b", "main");
writeFileSync(join(cwd, "app.ts"), "let x = 1;\nexport default x;\n");
git(cwd, "add", "-A");
git(cwd, "commit", "-q", "-m", "init");

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  cleanup();
});

async function readyShell() {
  const r = await server.api("/api/sessions", { method: "POST", json: { name: "review", cwd } });
  expect(r.status).toBe(201);
  const ws = new SessionSocket(server.url, r.body.id, server.token);
  await ws.until((w) => w.replayDone, "replay_end");
  ws.send("echo ready-$((40+2))\r");
  await ws.until((w) => w.text.includes("ready-42"), "the shell prompt", 60_000);
  return { id: r.body.id as string, ws };
}

test("review notes arrive in the agent's terminal once, and an edit pushes a changes frame", async () => {
  const { id, ws } = await readyShell();
  writeFileSync(join(cwd, "app.ts"), "let x = 2;\nexport default x;\n");
  await ws.until((w) => w.messages.some((m) => m.type === "changes"), "a changes frame after an edit", 10_000);

  const changes = await server.api(`/api/sessions/${id}/changes`);
  expect(changes.status).toBe(200);
  expect(changes.body.files.map((f: { path: string }) => f.path)).toEqual(["app.ts"]);

  const review = {
    id: "phone-review-1",
    comments: [{ path: "app.ts", line: 1, body: "please use-a-const-7Q here" }],
  };
  const first = await server.api(`/api/sessions/${id}/review`, { method: "POST", json: review });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe("sent");
  const retry = await server.api(`/api/sessions/${id}/review`, { method: "POST", json: review });
  expect(retry.body.status).toBe("duplicate");
  await ws.until((w) => w.text.includes("use-a-const-7Q"), "the review in the PTY");
  await Bun.sleep(800);
  const buffer = await fetch(`${server.url}/api/sessions/${id}/buffer?token=${server.token}`).then((r) => r.text());
  // bash runs each line of the pasted message once it gets the Enter: one "please: command not found"
  // per delivery (readline also redraws a paste, so the text itself shows twice on screen).
  expect(buffer.match(/please: command not found/g)?.length).toBe(1);
  expect(buffer).toContain("app.ts:1");
  expect(buffer).toContain("> let x = 2;");
  ws.close();
});

test("an attached photo over 1 MB is accepted, one over 25 MB is refused", async () => {
  const r = await server.api("/api/sessions", { method: "POST", json: { name: "img", cwd, autoStart: false } });
  const big = new Uint8Array(3 * 1024 * 1024).fill(7);
  const ok = await server.api(`/api/sessions/${r.body.id}/image`, {
    method: "POST",
    body: big,
    headers: { "content-type": "image/webp" },
  });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ size: big.length });
  expect(ok.body.name).toMatch(/\.webp$/);
  const form = new FormData();
  form.append("file", new File([big], "camera.jpg"));
  const up = await server.api(`/api/files/upload?sessionId=${r.body.id}&path=photos`, { method: "POST", body: form });
  expect(up.status).toBe(201);
  expect(up.body.files[0]).toMatchObject({ path: "photos/camera.jpg", size: big.length });
  const huge = await server.api(`/api/sessions/${r.body.id}/image`, {
    method: "POST",
    body: new Uint8Array(26 * 1024 * 1024),
  });
  expect(huge.status).toBe(413);
  const json = await server.api("/api/sessions", { method: "POST", json: { name: "x".repeat(2 * 1024 * 1024), cwd } });
  expect(json.status).toBe(413);
});
