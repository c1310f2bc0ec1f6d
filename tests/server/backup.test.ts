import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { opendray } from "../cli/cli";
import { startServer, type TestServer } from "../harness";

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe("opendray db dump | restore", () => {
  test("a dump restored into a fresh home brings back the admin and the sessions, and that home still starts", async () => {
    const a = await startServer();
    servers.push(a);
    const created = await a.api("/api/sessions", {
      method: "POST",
      json: { name: "to-keep", sessionType: "terminal", cwd: "/tmp" },
    });
    expect(created.status).toBe(201);
    const dumpFile = join(a.home, "..", "dump.sql");
    const dump = await opendray(["db", "dump", "--output", dumpFile], { OPENDRAY_HOME: a.home });
    expect(dump.code, dump.stderr).toBe(0);
    const text = readFileSync(dumpFile, "utf8");
    expect(text).toContain('COPY public."sessions"');
    expect(text).toContain("to-keep");

    // b has no admin of its own: only the dump can sign this user in.
    const b = await startServer({ env: { ADMIN_USERNAME: "", ADMIN_PASSWORD: "" } });
    servers.push(b);
    expect((await b.api("/api/sessions")).status).toBe(401);
    const restore = await opendray(["db", "restore", "--input", dumpFile, "--config", join(a.home, "config.toml")], {
      OPENDRAY_HOME: b.home,
    });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toMatch(/restored \d+ rows into \d+ tables/);
    await b.kill9();
    await b.restart();

    const login = await fetch(`${b.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: a.username, password: a.password }),
    });
    expect(login.status).toBe(200);
    b.token = ((await login.json()) as { token: string }).token;
    const sessions = await b.api<{ id: string; name: string }[]>("/api/sessions");
    expect(sessions.body.find((s) => s.id === created.body.id)?.name).toBe("to-keep");
  });

  test("a dump from a newer schema is refused and changes nothing", async () => {
    const a = servers[0] as TestServer;
    const dumpFile = join(a.home, "..", "future.sql");
    const dump = await opendray(["db", "dump"], { OPENDRAY_HOME: a.home });
    writeFileSync(dumpFile, dump.stdout.replace('"migrations":[', '"migrations":["9999_future.sql",'));
    const r = await opendray(["db", "restore", "--input", dumpFile], { OPENDRAY_HOME: a.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("9999_future.sql");
    expect((await a.api<unknown[]>("/api/sessions")).body.length).toBe(1);
  });

  test("input that is not a dump is refused", async () => {
    const a = servers[0] as TestServer;
    const r = await opendray(["db", "restore"], { OPENDRAY_HOME: a.home }, undefined, "SELECT 1;\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not an OpenDray database dump");
  });
});
