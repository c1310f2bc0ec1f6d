import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCommand } from "../run-command";

const root = resolve(import.meta.dir, "../..");
const shells = ["sh", "dash"].filter((s) => Bun.which(s));

// A stand-in for a release binary: these tests exercise the script, not the build.
const fakeBinary = `#!/bin/sh
case "$1" in
version) echo "opendray 9.9.9 (commit abc1234, built 2026-01-01T00:00:00Z)" ;;
*) echo "ran: $*" ;;
esac
`;
const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

let work: string;
let server: ReturnType<typeof Bun.serve>;
const releases: Record<string, Record<string, string>> = {};

function release(name: string, files: Record<string, string>) {
  releases[name] = files;
  return `http://127.0.0.1:${server.port}/${name}`;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "opendray-install-sh-"));
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const [, dir, file] = new URL(req.url).pathname.split("/");
      const body = dir && file ? releases[dir]?.[file] : undefined;
      return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
    },
  });
  const good = `${sha256(fakeBinary)}  opendray-linux-amd64\n${sha256("other")}  opendray-darwin-arm64\n`;
  release("good", { "opendray-linux-amd64": fakeBinary, SHA256SUMS: good });
  release("tampered", { "opendray-linux-amd64": `${fakeBinary}echo pwned\n`, SHA256SUMS: good });
  release("nosums", { "opendray-linux-amd64": fakeBinary });
  release("noentry", { "opendray-linux-amd64": fakeBinary, SHA256SUMS: `${sha256("x")}  opendray-linux-arm64\n` });
});

afterAll(() => server.stop(true));

/** The terminal's last output can arrive just after the process exits. */
async function until(done: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for terminal output");
    await Bun.sleep(10);
  }
}

let n = 0;
async function runInstaller(shell: string, env: Record<string, string>) {
  const dir = join(work, `case-${n++}`);
  const installDir = join(dir, "bin");
  mkdirSync(dir, { recursive: true });
  const result = await runCommand([shell, join(root, "install.sh")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      OPENDRAY_INSTALL_DIR: installDir,
      OPENDRAY_OS: "linux",
      OPENDRAY_ARCH: "amd64",
      ...env,
    },
  });
  return { ...result, installDir, target: join(installDir, "opendray") };
}

/** Runs the installer in a PTY, as `curl | sh` from a terminal does, until its screen shows `waitFor`. */
async function runInTerminal(shell: string, name: string, env: Record<string, string>, waitFor: string) {
  const dir = join(work, name);
  let screen = "";
  const proc = Bun.spawn([shell, join(root, "install.sh")], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      OPENDRAY_INSTALL_DIR: join(dir, "bin"),
      OPENDRAY_OS: "linux",
      OPENDRAY_ARCH: "amd64",
      OPENDRAY_DOWNLOAD_BASE: release("good", releases.good ?? {}),
      ...env,
    },
    terminal: {
      data(_t, bytes) {
        screen += new TextDecoder().decode(bytes);
      },
    },
  });
  expect(await proc.exited).toBe(0);
  await until(() => screen.includes(waitFor));
  proc.terminal?.close();
  return screen;
}

describe.each(shells)("install.sh under %s", (shell) => {
  test("a release with a matching checksum is installed, runs `version` and hints at PATH", async () => {
    const r = await runInstaller(shell, { OPENDRAY_DOWNLOAD_BASE: release("good", releases.good ?? {}) });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(r.target)).toBe(true);
    expect(await Bun.file(r.target).text()).toBe(fakeBinary);
    expect(r.stdout).toContain("Checksum verified");
    expect(r.stdout).toContain("Installed opendray 9.9.9");
    expect(r.stdout).toContain(`${r.installDir} is not on your PATH`);
    // No terminal attached: the wizard is not started.
    expect(r.stdout).not.toContain("ran: setup");
    const version = Bun.spawnSync([r.target, "version"]);
    expect(version.stdout.toString()).toStartWith("opendray 9.9.9");
  });

  test("with a terminal attached it hands over to `opendray setup`", async () => {
    const screen = await runInTerminal(shell, `tty-${shell}`, {}, "ran: setup");
    expect(screen).toContain("Starting opendray setup");
  });

  test("OPENDRAY_NO_SETUP=1 skips the wizard even with a terminal", async () => {
    const screen = await runInTerminal(
      shell,
      `tty-nosetup-${shell}`,
      { OPENDRAY_NO_SETUP: "1" },
      "Next: run 'opendray setup'",
    );
    expect(screen).not.toContain("ran: setup");
  });

  test("a tampered binary aborts with a checksum error and installs nothing", async () => {
    const r = await runInstaller(shell, { OPENDRAY_DOWNLOAD_BASE: release("tampered", releases.tampered ?? {}) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("checksum mismatch for opendray-linux-amd64");
    expect(r.stderr).toContain("nothing was installed");
    expect(existsSync(r.installDir)).toBe(false);
  });

  test("a missing SHA256SUMS aborts instead of installing unverified", async () => {
    const r = await runInstaller(shell, { OPENDRAY_DOWNLOAD_BASE: release("nosums", releases.nosums ?? {}) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could not download");
    expect(r.stderr).toContain("SHA256SUMS; refusing to install an unverified binary");
    expect(existsSync(r.installDir)).toBe(false);
  });

  test("a SHA256SUMS without an entry for this platform aborts", async () => {
    const r = await runInstaller(shell, { OPENDRAY_DOWNLOAD_BASE: release("noentry", releases.noentry ?? {}) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("SHA256SUMS has no entry for opendray-linux-amd64");
    expect(existsSync(r.installDir)).toBe(false);
  });

  test("an unsupported OS reported by uname is a clear error", async () => {
    const fakeBin = join(work, `fake-uname-${shell}`);
    mkdirSync(fakeBin, { recursive: true });
    writeFileSync(
      join(fakeBin, "uname"),
      '#!/bin/sh\ncase "$1" in -s) echo FreeBSD ;; -m) echo x86_64 ;; *) echo FreeBSD ;; esac\n',
    );
    chmodSync(join(fakeBin, "uname"), 0o755);
    const r = await runInstaller(shell, {
      PATH: `${fakeBin}:${process.env.PATH}`,
      OPENDRAY_OS: "",
      OPENDRAY_DOWNLOAD_BASE: release("good", releases.good ?? {}),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsupported operating system: FreeBSD");
    expect(existsSync(r.installDir)).toBe(false);
  });

  test("an unsupported architecture is a clear error", async () => {
    const r = await runInstaller(shell, {
      OPENDRAY_ARCH: "riscv64",
      OPENDRAY_DOWNLOAD_BASE: release("good", releases.good ?? {}),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsupported architecture: riscv64");
  });
});

describe.each(shells)("uninstall.sh under %s", (shell) => {
  function layout() {
    const home = mkdtempSync(join(work, "home-"));
    const files = [
      join(home, ".local/bin/opendray"),
      join(home, ".opendray/config.toml"),
      join(home, ".config/opendray/config.toml"),
    ];
    for (const f of files) {
      mkdirSync(join(f, ".."), { recursive: true });
      writeFileSync(f, "x");
    }
    return home;
  }
  const runScript = (home: string, env: Record<string, string>) =>
    Bun.spawnSync([shell, join(root, "uninstall.sh")], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdin: "ignore",
    });

  test("dry run lists the well-known paths and removes nothing", () => {
    const home = layout();
    const r = runScript(home, { OPENDRAY_DRY_RUN: "1" });
    const out = r.stdout.toString();
    expect(r.exitCode).toBe(0);
    for (const p of [".local/bin/opendray", ".opendray", ".config/opendray"])
      expect(out).toContain(`  ${join(home, p)}\n`);
    expect(readdirSync(join(home, ".opendray"))).toEqual(["config.toml"]);
  });

  test("a data link that points outside /var/lib/opendray/clusters is not followed", () => {
    const home = layout();
    const cluster = mkdtempSync(join(work, "cluster-"));
    mkdirSync(join(home, ".opendray/pg"), { recursive: true });
    symlinkSync(join(cluster, "data"), join(home, ".opendray/pg/data"));
    const r = runScript(home, { OPENDRAY_DRY_RUN: "1" });
    expect(r.stdout.toString()).not.toContain(cluster);
  });

  test("without a terminal and without OPENDRAY_YES it refuses", () => {
    const home = layout();
    const r = runScript(home, {});
    expect(r.exitCode).toBe(1);
    expect(r.stderr.toString()).toContain("set OPENDRAY_YES=1");
    expect(existsSync(join(home, ".opendray"))).toBe(true);
  });

  test("OPENDRAY_YES=1 removes the binary, the data and the config", () => {
    const home = layout();
    const r = runScript(home, { OPENDRAY_YES: "1" });
    expect(r.exitCode).toBe(0);
    for (const p of [".local/bin/opendray", ".opendray", ".config/opendray"])
      expect(existsSync(join(home, p))).toBe(false);
  });
});
