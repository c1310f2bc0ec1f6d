import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "../harness";
import { opendray } from "./cli";

/** A home as setup leaves it, plus an XDG config dir and a config file outside the home. */
function installed(config = '[db]\nmode = "bundled"\n') {
  const dir = mkdtempSync(join(tmpdir(), "opendray-uninstall-"));
  const home = join(dir, "home");
  for (const sub of ["pg", "run", "logs", "plugins"]) mkdirSync(join(home, sub), { recursive: true });
  writeFileSync(join(home, "config.toml"), config);
  mkdirSync(join(dir, "xdg", "opendray"), { recursive: true });
  const cwd = join(dir, "cwd");
  mkdirSync(cwd);
  return {
    dir,
    home,
    cwd,
    env: { HOME: dir, OPENDRAY_HOME: home, XDG_CONFIG_HOME: join(dir, "xdg"), OPENDRAY_CONFIG: undefined },
  };
}

describe("opendray uninstall", () => {
  test("--dry-run lists exactly the paths and changes nothing", async () => {
    const t = installed();
    const r = await opendray(["uninstall", "--dry-run"], t.env, t.cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Dry run: nothing is changed.",
        `would remove ${t.home}`,
        `would remove ${join(t.dir, "xdg", "opendray")}`,
        "note: running from source: there is no opendray binary to remove",
        "",
      ].join("\n"),
    );
    expect(existsSync(join(t.home, "config.toml"))).toBe(true);
  });

  test("--dry-run --keep-data keeps the home but still removes the config file", async () => {
    const t = installed();
    const outside = join(t.dir, "etc-opendray.toml");
    writeFileSync(outside, '[db]\nmode = "bundled"\n');
    const r = await opendray(["uninstall", "--dry-run", "--keep-data"], { ...t.env, OPENDRAY_CONFIG: outside }, t.cwd);
    expect(r.code).toBe(0);
    const removes = r.stdout.split("\n").filter((l) => l.startsWith("would remove"));
    expect(removes).toEqual([`would remove ${outside}`, `would remove ${join(t.dir, "xdg", "opendray")}`]);
  });

  test("with an external database it writes drop_opendray_schema.sql instead of dropping anything", async () => {
    const t = installed(
      '[db]\nmode = "external"\n\n[db.external]\nhost = "db.example"\nport = 5432\nname = "shared"\n',
    );
    const r = await opendray(["uninstall", "--yes"], t.env, t.cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const sql = readFileSync(join(t.cwd, "drop_opendray_schema.sql"), "utf8");
    expect(sql).toContain("-- OpenDray tables in db.example:5432/shared.");
    for (const table of ["sessions", "admin_auth", "schema_migrations"])
      expect(sql).toContain(`DROP TABLE IF EXISTS ${table} CASCADE;`);
    expect(sql.indexOf("BEGIN;")).toBeLessThan(sql.indexOf("DROP TABLE"));
    expect(existsSync(t.home)).toBe(false);
    expect(existsSync(join(t.dir, "xdg", "opendray"))).toBe(false);
  });

  test("--yes removes the home and the config", async () => {
    const t = installed();
    const r = await opendray(["uninstall", "--yes"], t.env, t.cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Removed ${t.home}`);
    expect(existsSync(t.home)).toBe(false);
  });

  test("without a terminal and without --yes it refuses and changes nothing", async () => {
    const t = installed();
    const r = await opendray(["uninstall"], t.env, t.cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pass --yes");
    expect(existsSync(t.home)).toBe(true);
  });

  test("--yes stops the server listening on the configured port before removing its home", async () => {
    const port = await freePort();
    const t = installed(`[server]\nlisten_addr = "127.0.0.1:${port}"\n`);
    const fake = Bun.spawn(
      [process.execPath, "-e", `Bun.serve({ hostname: "127.0.0.1", port: ${port}, fetch: () => new Response("ok") })`],
      { stdio: ["ignore", "ignore", "ignore"] },
    );
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, "the stand-in server");
      const r = await opendray(["uninstall", "--yes"], t.env, t.cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Stopping the server (pid ${fake.pid}, port ${port})`);
      expect(await fake.exited).toBe(143);
      expect(existsSync(t.home)).toBe(false);
    } finally {
      fake.kill("SIGKILL");
    }
  });
});
