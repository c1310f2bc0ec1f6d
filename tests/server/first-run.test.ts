import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, MAIN, startServer, type TestServer, waitFor } from "../harness";

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe("first start on the embedded default", () => {
  test("prints a one-time login link whose code works once; secrets are generated into a 0600 config", async () => {
    const server = await startServer({ env: { ADMIN_USERNAME: "", ADMIN_PASSWORD: "" } });
    servers.push(server);
    const link = await waitFor(() => /\/login#code=([\w-]+)/.exec(server.logs()), "the one-time link");
    const code = link[1];
    const first = await server.api("/api/auth/one-time", {
      method: "POST",
      json: { code },
      headers: { authorization: "" },
    });
    expect(first.status).toBe(200);
    const token = first.body.token as string;
    const list = await fetch(`${server.url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const second = await server.api("/api/auth/one-time", { method: "POST", json: { code } });
    expect(second.status).toBe(401);
    const status = await (await fetch(`${server.url}/api/auth/status`)).json();
    expect(status).toEqual({ authRequired: true, adminConfigured: false });
    const set = await fetch(`${server.url}/api/auth/change-credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ newUsername: "me", newPassword: "a-long-password" }),
    });
    expect(set.status).toBe(200);
    expect((await (await fetch(`${server.url}/api/auth/status`)).json()).adminConfigured).toBe(true);
    // The link's token ends with the first password; the answer carries the one to keep.
    const sessions = (t: string) => fetch(`${server.url}/api/sessions`, { headers: { authorization: `Bearer ${t}` } });
    expect((await sessions(token)).status).toBe(401);
    expect((await sessions(((await set.json()) as { token: string }).token)).status).toBe(200);

    const config = join(server.home, "config.toml");
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const text = await Bun.file(config).text();
    expect(text).toContain("jwt_secret");
    expect(text).not.toContain("a-long-password");
    expect(existsSync(join(server.home, "pg", "data"))).toBe(true);
    expect(server.logs()).not.toContain("a-long-password");
  });

  test("a fresh home told to listen on the network without a JWT secret refuses to start and writes no secret", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "opendray-e2e-")), "home");
    const port = await freePort();
    const proc = Bun.spawn([process.execPath, MAIN], {
      env: { ...process.env, OPENDRAY_HOME: home, LISTEN_ADDR: `0.0.0.0:${port}`, JWT_SECRET: "", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const code = await Promise.race([proc.exited, Bun.sleep(20_000).then(() => "still running")]);
    if (code === "still running") {
      // It started after all: stop it the graceful way so its bundled Postgres stops too.
      proc.kill("SIGTERM");
      await Promise.race([proc.exited, Bun.sleep(15_000)]);
      proc.kill("SIGKILL");
    }
    expect(code).toBe(1);
    expect(await new Response(proc.stderr).text()).toContain("refusing to listen on 0.0.0.0");
    expect(existsSync(join(home, "config.toml"))).toBe(false);
    expect(existsSync(join(home, "pg"))).toBe(false);
  });
});
