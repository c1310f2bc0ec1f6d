import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN, startServer, type TestServer, waitFor } from "../harness";
import { runCommand } from "../run-command";

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const opendray = (args: string[], env: Record<string, string>) =>
  runCommand([process.execPath, MAIN, ...args], { env });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("opendray status and opendray stop", () => {
  test("status names the server, the PTY host with its sessions and Postgres; stop ends the server, --sessions the rest", async () => {
    const server = await startServer({ env: { IDLE_THRESHOLD_SECONDS: "1" } });
    servers.push(server);
    const cwd = mkdtempSync(join(tmpdir(), "od-cwd-"));
    const created = await server.api("/api/sessions", { method: "POST", json: { name: "sh", cwd, extraArgs: [] } });
    expect(created.status).toBe(201);
    // The login shell finishes its profile (it goes quiet at the prompt) before anything ends it.
    await waitFor(
      async () => (await server.api(`/api/sessions/${created.body.id}`)).body.status === "idle",
      "the shell's prompt",
      90_000,
      200,
    );

    const env = server.env;
    const status = await opendray(["status"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`server     running, pid ${server.pid()}, ${server.url}`);
    expect(status.stdout).toMatch(/PTY host {3}running, pid \d+, 1 session running/);
    expect(status.stdout).toMatch(/PostgreSQL running \(bundled\), pid \d+/);
    const ptydPid = Number(/PTY host {3}running, pid (\d+)/.exec(status.stdout)?.[1]);

    const stop = await opendray(["stop"], env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`stopped the server (pid ${server.pid()}`);
    expect(stop.stdout).toContain("opendray stop --sessions");
    expect(alive(server.pid())).toBe(false);
    expect(alive(ptydPid)).toBe(true);

    const after = await opendray(["status"], env);
    expect(after.code).toBe(3);
    expect(after.stdout).toContain("server     not running");
    expect(after.stdout).toContain("1 session running");

    const all = await opendray(["stop", "--sessions"], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("the server is not running");
    expect(all.stdout).toContain(`ended the PTY host (pid ${ptydPid})`);
    await waitFor(() => !alive(ptydPid), "the PTY host to exit");
    expect(existsSync(join(server.home, "run", "ptyd.sock"))).toBe(false);

    const none = await opendray(["status"], env);
    expect(none.stdout).toContain("PTY host   not running");
    expect(none.stdout).toContain("PostgreSQL not running");
  }, 180_000);

  test("stop refuses an unknown option and both commands are in the help", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "od-home-")), "home");
    const env = { ...(process.env as Record<string, string>), OPENDRAY_HOME: home };
    const bad = await opendray(["stop", "--all"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option --all");
    const help = await opendray(["help"], env);
    expect(help.stdout).toContain("stop [--sessions]");
    expect(help.stdout).toContain("status ");
  });
});
