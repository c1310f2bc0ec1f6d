import { afterAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startServer, type TestServer, waitFor } from "../harness";

// dist/opendray is built by `bun run test` (scripts/test-prep.ts) before the suite runs.
const dir = mkdtempSync(join(tmpdir(), "od-bin-"));
const binary = join(dir, "opendray");
let server: TestServer | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the compiled binary runs from an empty directory: version, help, and a session with its screen and prompt", async () => {
  expect(existsSync(join(ROOT, "dist", "opendray"))).toBe(true);
  copyFileSync(join(ROOT, "dist", "opendray"), binary);
  Bun.spawnSync(["chmod", "+x", binary]);
  const version = Bun.spawnSync([binary, "version"], { cwd: dir });
  expect(version.stdout.toString()).toMatch(/^opendray \d+\.\d+\.\d+ \(commit \w+, built \d{4}-/);
  const help = Bun.spawnSync([binary, "--help"], { cwd: dir });
  expect(help.stdout.toString()).toContain("service");

  server = await startServer({ command: [binary], cwd: dir });
  expect((await server.api("/api/health")).body.status).toBe("ok");
  const created = await server.api("/api/sessions", { method: "POST", json: { cwd: dir } });
  expect(created.status).toBe(201);
  const id = created.body.id;
  await server.api(`/api/sessions/${id}/input`, {
    method: "POST",
    json: { input: 'read -p "Proceed? [y/N] " a; echo "got=$a"\r' },
  });
  const prompt = await waitFor(
    async () => (await server?.api(`/api/sessions/${id}/prompt`))?.body,
    "the prompt from the compiled binary's screen worker",
  );
  expect(prompt.question).toContain("Proceed?");
  expect((await server.api(`/api/sessions/${id}`)).body.status).toBe("waiting");
  const answer = await server.api(`/api/sessions/${id}/prompt/answer`, {
    method: "POST",
    json: { promptId: prompt.id, keys: ["y"] },
  });
  expect(answer.status).toBe(200);
  const screen = await waitFor(async () => {
    const s = await server?.api(`/api/sessions/${id}/screen`);
    return s?.body.lines.some((l: string) => l.includes("got=y")) ? s.body : null;
  }, "the answer on screen");
  expect(screen.byteCursor).toBeGreaterThan(0);
  const page = await fetch(`${server.url}/`);
  expect(page.headers.get("content-type")).toContain("text/html");
  expect(await page.text()).toContain("<!doctype html>");
});
