import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { freshClone, startCommand } from "./fresh-clone";

const servers: TestServer[] = [];
const clones: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const c of clones) rmSync(join(c, ".."), { recursive: true, force: true });
});

const page = async (url: string) => (await fetch(url)).text();
const oneTime = (s: TestServer, code: string) =>
  s.api("/api/auth/one-time", { method: "POST", json: { code }, headers: { authorization: "" } });

async function sigterm(s: TestServer) {
  process.kill(s.pid(), "SIGTERM");
  await waitFor(() => {
    try {
      process.kill(s.pid(), 0);
      return false;
    } catch {
      return true;
    }
  }, "the server to exit");
}

describe("the README's start line on a fresh clone", () => {
  test("bun run start serves the app, not a placeholder, and rebuilds it, while answering, after ui/ changed", async () => {
    const clone = freshClone();
    clones.push(clone);
    expect(existsSync(join(clone, "ui", "dist"))).toBe(false);
    const server = await startServer({ command: await startCommand(clone), cwd: clone, env: { LOG_LEVEL: "info" } });
    servers.push(server);
    const html = await waitFor(
      async () => {
        const text = await page(`${server.url}/`);
        return /src="\/assets\/[^"]+\.js"/.test(text) ? text : undefined;
      },
      "the built app",
      120_000,
      250,
    );
    expect(html).not.toContain("has not been built");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    expect((await fetch(`${server.url}${script}`)).status).toBe(200);

    // An edit to the app's source: the next start finds the build older and rebuilds it while
    // already answering, and the running server then serves the new build.
    const indexHtml = join(clone, "ui", "index.html");
    writeFileSync(
      indexHtml,
      readFileSync(indexHtml, "utf8").replace("<head>", '<head><meta name="edited" content="yes">'),
    );
    await sigterm(server);
    await server.restart();
    const rebuilt = await waitFor(
      async () => {
        const text = await page(`${server.url}/`);
        return text.includes('name="edited"') ? text : undefined;
      },
      "the rebuilt app",
      120_000,
      250,
    );
    const newScript = /src="(\/assets\/[^"]+\.js)"/.exec(rebuilt)?.[1] as string;
    expect((await fetch(`${server.url}${newScript}`)).status).toBe(200);
    expect(server.logs()).toContain("building the web app");
  }, 180_000);

  test("the first start's one-time link still works after a restart, once; the first password ends it", async () => {
    const server = await startServer({ env: { ADMIN_USERNAME: "", ADMIN_PASSWORD: "" } });
    servers.push(server);
    const first = (await waitFor(() => /\/login#code=([\w-]+)/.exec(server.logs()), "the one-time link"))[1] as string;
    expect(server.logs()).toContain("also after a restart");

    await sigterm(server);
    await server.restart();
    const links = () => [...server.logs().matchAll(/\/login#code=([\w-]+)/g)].map((m) => m[1] as string);
    await waitFor(() => links().length >= 2, "the restarted server's link");
    const second = links().at(-1) as string;
    expect(second).not.toBe(first);

    const used = await oneTime(server, first);
    expect(used.status).toBe(200);
    expect((await oneTime(server, first)).status).toBe(401);

    const set = await fetch(`${server.url}/api/auth/change-credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${used.body.token}`, "content-type": "application/json" },
      body: JSON.stringify({ newUsername: "me", newPassword: "a-long-password" }),
    });
    expect(set.status).toBe(200);
    const after = await oneTime(server, second);
    expect(after.status).toBe(401);
    expect(after.body.error.message).toContain("already used or has expired");
  }, 180_000);
});
