import { expect, test } from "bun:test";
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, MAIN, shutdownPtyHost, waitFor } from "../harness";
import { opendray, repoRoot } from "./cli";

test("after `setup --yes` the server starts from the written config and the admin can sign in", async () => {
  const dir = mkdtempSync(join(tmpdir(), "opendray-setup-server-"));
  const home = join(dir, "home");
  const env = {
    HOME: dir,
    OPENDRAY_HOME: home,
    OPENDRAY_CONFIG: undefined,
    LISTEN_ADDR: undefined,
    JWT_SECRET: undefined,
    ADMIN_USERNAME: undefined,
    ADMIN_PASSWORD: undefined,
  };
  const port = await freePort();
  const pwFile = join(dir, "admin-pw");
  writeFileSync(pwFile, "a good long password\n", { mode: 0o600 });

  const setup = await opendray(
    [
      "setup",
      "--yes",
      "--db=bundled",
      `--listen=127.0.0.1:${port}`,
      "--admin-user=owner",
      `--admin-password-file=${pwFile}`,
    ],
    env,
  );
  expect(setup.stderr).not.toContain("opendray setup:");
  expect(setup.code).toBe(0);

  let output = "";
  const server = Bun.spawn([process.execPath, MAIN, "serve"], {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  void pump(server.stdout);
  void pump(server.stderr);
  try {
    const health = await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output}`);
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        return r.ok ? r : undefined;
      },
      "the server to answer /api/health",
      60_000,
    );
    expect(health.status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "owner", password: "a good long password" }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { token?: string }).token).toBeString();

    // Re-running setup while the server runs rotates the password without taking its database down.
    writeFileSync(pwFile, "a newer long password\n");
    const rerun = await opendray(["setup", "--yes", `--admin-password-file=${pwFile}`, "--admin-user=owner"], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain("The server is running: restart it to use the new settings");
    const relogin = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "owner", password: "a newer long password" }),
    });
    expect(relogin.status).toBe(200);

    const doctor = await opendray(["doctor"], env);
    expect(doctor.stdout).toContain(`OK    server    answering at http://127.0.0.1:${port}`);
    expect(doctor.stdout).toMatch(/OK {4}database {2}bundled PostgreSQL \d+ in \S+, running/);
    expect(doctor.code).toBe(0);
  } finally {
    server.kill("SIGTERM");
    await server.exited;
    await shutdownPtyHost(home);
    // As root the bundled cluster lives under /var/lib/opendray, linked from the home.
    try {
      rmSync(dirname(readlinkSync(join(home, "pg", "data"))), { recursive: true, force: true });
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
