import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opendray, removeTestDir } from "./cli";

const made: { dir: string; home: string }[] = [];
afterAll(() => {
  for (const m of made) removeTestDir(m.dir, m.home);
});

function freshHome() {
  const dir = mkdtempSync(join(tmpdir(), "opendray-setup-"));
  made.push({ dir, home: join(dir, "home") });
  const secret = (name: string, value: string) => {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    return path;
  };
  return { dir, env: { OPENDRAY_HOME: join(dir, "home"), HOME: dir, OPENDRAY_CONFIG: undefined }, secret };
}

describe("opendray setup --yes", () => {
  test("with every value from flags, --dry-run shows the changes and writes nothing", async () => {
    const h = freshHome();
    const r = await opendray(
      [
        "setup",
        "--yes",
        "--dry-run",
        "--db=external",
        "--db-host=db.internal",
        "--db-port=6543",
        "--db-user=dray",
        "--db-name=draydb",
        `--db-password-file=${h.secret("dbpw", "pg-pass")}`,
        "--db-sslmode=require",
        "--listen=all",
        "--admin-user=boss",
        `--admin-password-file=${h.secret("pw", "a long password")}`,
        `--jwt-secret-file=${h.secret("jwt", "j".repeat(40))}`,
      ],
      h.env,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Dry run: nothing was written.",
        `would write ${join(h.env.OPENDRAY_HOME, "config.toml")} (mode 600), merging:`,
        '  [server] listen_addr = "0.0.0.0:8640"',
        '  [db] mode = "external"',
        '  [db.external] host = "db.internal"',
        "  [db.external] port = 6543",
        '  [db.external] user = "dray"',
        '  [db.external] name = "draydb"',
        "  [db.external] password = (secret)",
        '  [db.external] sslmode = "require"',
        "  [auth] jwt_secret = (secret)",
        "would apply the migrations in db.internal:6543/draydb",
        'would set the admin account "boss" with the new password',
        "",
      ].join("\n"),
    );
    expect(existsSync(h.env.OPENDRAY_HOME)).toBe(false);
  });

  test("usage errors exit 2 and say which flag is wrong", async () => {
    const h = freshHome();
    const cases: [string[], string][] = [
      [["--yes"], "--admin-password-file is required with --yes on first setup"],
      [["--yes", "--db=mysql"], '--db: expected bundled or external, got "mysql"'],
      [["--yes", "--listen=nowhere"], "--listen: expected loopback, all or host:port"],
      [["--yes", "--db-port=99999"], "--db-port: expected a port from 1 to 65535"],
      [["--yes", "--db-sslmode=maybe"], "--db-sslmode: expected one of disable"],
      [
        ["--yes", `--admin-password-file=${h.secret("short", "1234567")}`],
        "the password must have at least 8 characters",
      ],
      [["--yes", `--jwt-secret-file=${h.secret("jwt", "short")}`], "the secret must have at least 32 characters"],
      [
        ["--yes", "--admin-password-file=/nonexistent/pw"],
        "--admin-password-file: cannot read /nonexistent/pw (ENOENT)",
      ],
      [
        ["--yes", "--db=external", `--admin-password-file=${h.secret("pw", "long enough")}`],
        "--db-host is required with --db external",
      ],
      [["--frobnicate"], "Unknown option '--frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const r = await opendray(["setup", ...args], h.env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
    }
    expect(existsSync(h.env.OPENDRAY_HOME)).toBe(false);
  });

  test("a secret file of - is read from standard input", async () => {
    const h = freshHome();
    const r = await opendray(
      ["setup", "--yes", "--dry-run", "--admin-password-file=-"],
      h.env,
      undefined,
      "from stdin please\n",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would set the admin account "admin" with the new password');
  });

  test("without a terminal and without --yes it says how to run unattended", async () => {
    const h = freshHome();
    const r = await opendray(["setup"], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no terminal to ask on: pass --yes with flags");
  });

  test("an unreachable external database fails before anything is written", async () => {
    const h = freshHome();
    const r = await opendray(
      [
        "setup",
        "--yes",
        "--db-host=127.0.0.1",
        "--db-port=1",
        `--admin-password-file=${h.secret("pw", "long enough")}`,
      ],
      h.env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot connect to the external database opendray@127.0.0.1:1/opendray");
    expect(existsSync(h.env.OPENDRAY_HOME)).toBe(false);
  });

  test("--help lists every flag", async () => {
    const r = await opendray(["setup", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of [
      "--yes",
      "--dry-run",
      "--db",
      "--listen",
      "--admin-user",
      "--admin-password-file",
      "--jwt-secret-file",
      "--db-host",
      "--db-port",
      "--db-user",
      "--db-name",
      "--db-password-file",
      "--db-sslmode",
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  test("re-running changes only what the flags say and keeps the rest", async () => {
    const h = freshHome();
    const pw = h.secret("pw", "first password");
    const first = await opendray(["setup", "--yes", "--listen=127.0.0.1:8700", `--admin-password-file=${pw}`], h.env);
    expect(first.stderr).not.toContain("opendray setup:");
    expect(first.code).toBe(0);
    const path = join(h.env.OPENDRAY_HOME, "config.toml");
    const before = readFileSync(path, "utf8");
    const secret = /jwt_secret = "([^"]+)"/.exec(before)?.[1];
    expect(secret?.length).toBeGreaterThanOrEqual(32);

    const second = await opendray(["setup", "--yes", "--listen=127.0.0.1:8701"], h.env);
    expect(second.code).toBe(0);
    const after = readFileSync(path, "utf8");
    expect(after).toContain('listen_addr = "127.0.0.1:8701"');
    expect(after).toContain(`jwt_secret = "${secret}"`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
