import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeTestDir } from "./cli";
import { inTerminal, keys } from "./pty";

const made: { dir: string; home: string }[] = [];
afterAll(() => {
  for (const m of made) removeTestDir(m.dir, m.home);
});

function freshHome() {
  const dir = mkdtempSync(join(tmpdir(), "opendray-wizard-"));
  made.push({ dir, home: join(dir, "home") });
  return { OPENDRAY_HOME: join(dir, "home"), HOME: dir, OPENDRAY_CONFIG: undefined };
}
const configOf = (env: { OPENDRAY_HOME: string }) => join(env.OPENDRAY_HOME, "config.toml");

describe("opendray setup in a terminal", () => {
  test("answering the four steps writes the config (0600) and sets up the bundled database", async () => {
    const env = freshHome();
    const t = inTerminal(["setup"], env);
    await t.expect("1/4 Database", keys.enter);
    await t.expect("2/4 Listen address", keys.enter);
    await t.expect("3/4 Admin username", keys.enter);
    await t.expect("Admin password (at least 8 characters", "correct horse\r");
    await t.expect("Password strength: fair");
    await t.expect("Admin password again", "correct horse\r");
    await t.expect("4/4 JWT secret", keys.enter);
    await t.expect("Database:  bundled PostgreSQL");
    await t.expect("Apply these settings?", keys.enter);
    await t.expect("Setup complete", undefined, 60_000);
    expect(await t.exit()).toBe(0);
    const config = readFileSync(configOf(env), "utf8");
    expect(config).toContain('listen_addr = "127.0.0.1:8640"');
    expect(config).toContain('mode = "bundled"');
    expect(config).toMatch(/jwt_secret = "[\w-]{32,}"/);
    expect(statSync(configOf(env)).mode & 0o777).toBe(0o600);
    expect(t.text()).toContain('Admin account "admin" saved.');
  });

  test('"back" returns to the previous step and the summary can send you back again', async () => {
    const env = freshHome();
    const t = inTerminal(["setup", "--dry-run"], env);
    await t.expect("1/4 Database", keys.enter);
    await t.expect("2/4 Listen address");
    t.write(keys.down, keys.enter); // all interfaces
    await t.expect("3/4 Admin username", "back\r");
    await t.expect("2/4 Listen address");
    t.write(keys.down, keys.enter); // from "all" down to "custom"
    await t.expect("Listen on host:port");
    t.write("127.0.0.1:9999\r");
    await t.expect("3/4 Admin username", keys.enter);
    await t.expect("Admin password (at least", "password1\r");
    await t.expect("Admin password again", "password2\r");
    await t.expect("The passwords differ");
    await t.expect("Admin password (at least", "password1\r");
    await t.expect("Admin password again", "password1\r");
    await t.expect("4/4 JWT secret", keys.enter);
    await t.expect("Listen:    127.0.0.1:9999");
    await t.expect("Show what would change?");
    t.write(keys.down, keys.enter); // Back
    await t.expect("4/4 JWT secret", keys.enter);
    await t.expect("Show what would change?", keys.enter);
    await t.expect("Dry run: nothing was written.");
    expect(await t.exit()).toBe(0);
    expect(t.text()).toContain('[server] listen_addr = "127.0.0.1:9999"');
    expect(existsSync(env.OPENDRAY_HOME)).toBe(false);
  });

  test("an external database is connection-tested, and a failed test offers to edit, keep or go back", async () => {
    const env = freshHome();
    const t = inTerminal(["setup", "--dry-run"], env);
    await t.expect("1/4 Database");
    t.write(keys.down, keys.enter);
    await t.expect("Database host", "127.0.0.1\r");
    await t.expect("Database port", "1\r");
    await t.expect("Database user", keys.enter);
    await t.expect("Database name", keys.enter);
    await t.expect("Database password", "pg secret\r");
    await t.expect("SSL mode", keys.enter);
    await t.expect("Could not connect");
    await t.expect("The connection test failed", keys.enter); // edit
    await t.expect("Database host", keys.enter); // keeps 127.0.0.1
    await t.expect("Database port", keys.enter);
    await t.expect("Database user", keys.enter);
    await t.expect("Database name", keys.enter);
    await t.expect("Database password", keys.enter);
    await t.expect("SSL mode", keys.enter);
    await t.expect("The connection test failed");
    t.write(keys.down, keys.enter); // use them anyway
    await t.expect("2/4 Listen address", keys.enter);
    await t.expect("3/4 Admin username", keys.enter);
    await t.expect("Admin password (at least", "password1\r");
    await t.expect("Admin password again", "password1\r");
    await t.expect("4/4 JWT secret", keys.enter);
    await t.expect("Database:  external opendray@127.0.0.1:1/opendray (sslmode disable)");
    await t.expect("Show what would change?", keys.enter);
    await t.expect("Dry run: nothing was written.");
    expect(await t.exit()).toBe(0);
    expect(t.text()).toContain("[db.external] password = (secret)");
    expect(t.text()).toContain("would apply the migrations in 127.0.0.1:1/opendray");
  });

  test("Ctrl-C aborts without writing anything", async () => {
    const env = freshHome();
    const t = inTerminal(["setup"], env);
    await t.expect("1/4 Database", keys.enter);
    await t.expect("2/4 Listen address", keys.enter);
    await t.expect("3/4 Admin username", keys.enter);
    await t.expect("Admin password (at least", "half");
    t.write(keys.ctrlC);
    await t.expect("Setup cancelled: nothing was written.");
    expect(await t.exit()).toBe(1);
    expect(existsSync(env.OPENDRAY_HOME)).toBe(false);
  });

  test("Ctrl-D (end of input) aborts without writing anything", async () => {
    const env = freshHome();
    const t = inTerminal(["setup"], env);
    await t.expect("1/4 Database", keys.enter);
    await t.expect("2/4 Listen address", keys.ctrlD);
    await t.expect("Setup cancelled: nothing was written.");
    expect(await t.exit()).toBe(1);
    expect(existsSync(env.OPENDRAY_HOME)).toBe(false);
  });

  test("re-running offers the current values as defaults", async () => {
    const env = freshHome();
    mkdirSync(env.OPENDRAY_HOME, { recursive: true });
    writeFileSync(
      configOf(env),
      `[server]\nlisten_addr = "0.0.0.0:9000"\n\n[auth]\njwt_secret = "${"k".repeat(40)}"\n`,
    );
    const t = inTerminal(["setup", "--dry-run"], env);
    await t.expect("current values are the defaults");
    await t.expect("1/4 Database", keys.enter);
    await t.expect("2/4 Listen address", keys.enter); // "custom" is preselected for 0.0.0.0:9000
    await t.expect("Listen on host:port", keys.enter);
    await t.expect("Keep the current admin account", keys.enter);
    await t.expect("Keep the current secret", keys.enter);
    await t.expect("Listen:    0.0.0.0:9000");
    await t.expect("Show what would change?", keys.enter);
    await t.expect("Dry run: nothing was written.");
    expect(await t.exit()).toBe(0);
    const out = t.text();
    expect(out).toContain("would keep the current admin account");
    expect(out).not.toContain("jwt_secret");
  });
});
