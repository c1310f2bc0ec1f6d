import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opendray } from "./cli";

const binary = "/opt/opendray/bin/opendray";

function dryInstall(platform: "linux" | "darwin", user: string, path: string) {
  return opendray(["service", "install", "--dry-run", "--platform", platform, "--user", user, "--binary", path]);
}

describe("opendray service install --dry-run", () => {
  test("on Linux prints the systemd unit and the systemctl commands, and writes nothing", async () => {
    const r = await dryInstall("linux", "nobody", binary);
    expect(r.stderr).not.toContain("opendray service:");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("would write /etc/systemd/system/opendray.service (mode 644):");
    for (const directive of [
      "User=nobody",
      `ExecStart=${binary} serve`,
      "Restart=on-failure",
      "RestartSec=5",
      "KillMode=process",
      "NoNewPrivileges=true",
      "ProtectSystem=full",
      "StandardOutput=journal",
      "After=network-online.target",
      "WantedBy=multi-user.target",
    ]) {
      expect(r.stdout).toContain(`\n${directive}\n`);
    }
    expect(r.stdout).toMatch(/\nEnvironment=HOME=\/\S+\n/);
    expect(r.stdout).toMatch(/\nWorkingDirectory=\/\S+\n/);
    expect(r.stdout).toContain(
      "would run: systemctl daemon-reload\nwould run: systemctl enable opendray\nwould run: systemctl restart opendray\n",
    );
    expect(existsSync("/etc/systemd/system/opendray.service")).toBe(false);
  });

  test("on macOS prints the launchd plist with KeepAlive on failure and logs in /var/log/opendray", async () => {
    const r = await dryInstall("darwin", "nobody", binary);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("would write /Library/LaunchDaemons/com.opendray.opendray.plist (mode 644):");
    const plist = r.stdout;
    expect(plist).toContain("<key>Label</key>\n  <string>com.opendray.opendray</string>");
    expect(plist).toContain(`<array>\n    <string>${binary}</string>\n    <string>serve</string>\n  </array>`);
    expect(plist).toContain("<key>UserName</key>\n  <string>nobody</string>");
    expect(plist).toContain("<key>GroupName</key>\n  <string>staff</string>");
    expect(plist).toContain("<key>RunAtLoad</key>\n  <true/>");
    expect(plist).toContain("<key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>");
    expect(plist).toContain("<key>AbandonProcessGroup</key>\n  <true/>");
    expect(plist).toContain("<string>/var/log/opendray/opendray.out.log</string>");
    expect(plist).toContain("<string>/var/log/opendray/opendray.err.log</string>");
    expect(plist).toContain("would run: launchctl bootstrap system /Library/LaunchDaemons/com.opendray.opendray.plist");
  });

  test("values that would break the file are escaped", async () => {
    const odd = "/opt/my <apps> & 100%/opendray";
    const linux = await dryInstall("linux", "nobody", odd);
    expect(linux.stdout).toContain('ExecStart="/opt/my <apps> & 100%%/opendray" serve');
    const mac = await dryInstall("darwin", "nobody", odd);
    expect(mac.stdout).toContain("<string>/opt/my &lt;apps&gt; &amp; 100%/opendray</string>");
  });

  test("warns when the account cannot run the binary or has not run setup", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opendray-private-"));
    chmodSync(dir, 0o700);
    const hidden = join(dir, "opendray");
    writeFileSync(hidden, "#!/bin/sh\n", { mode: 0o755 });
    const r = await dryInstall("linux", "nobody", hidden);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: nobody cannot run ${hidden}`);
    expect(r.stderr).toContain('warning: nobody has not run "opendray setup" yet');
  });

  test("refuses to run the service as root", async () => {
    const r = await dryInstall("linux", "root", binary);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to run the service as root");
  });

  test("defaults the account to $SUDO_USER", async () => {
    const r = await opendray(["service", "install", "--dry-run", "--platform", "linux", "--binary", binary], {
      SUDO_USER: "nobody",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nUser=nobody\n");
  });

  test("an unknown account is a clear error", async () => {
    const r = await dryInstall("linux", "no-such-user-xyz", binary);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no such user: no-such-user-xyz");
  });
});

describe("opendray service", () => {
  test("uninstall --dry-run lists the commands and the file to remove", async () => {
    const linux = await opendray(["service", "uninstall", "--dry-run", "--platform", "linux"]);
    expect(linux.stdout).toContain(
      "would run: systemctl disable --now opendray\nwould remove /etc/systemd/system/opendray.service\nwould run: systemctl daemon-reload\n",
    );
    const mac = await opendray(["service", "uninstall", "--dry-run", "--platform", "darwin"]);
    expect(mac.stdout).toContain(
      "would run: launchctl bootout system/com.opendray.opendray\nwould remove /Library/LaunchDaemons/com.opendray.opendray.plist\nwould remove /var/log/opendray\n",
    );
    const keep = await opendray(["service", "uninstall", "--dry-run", "--platform", "darwin", "--keep-logs"]);
    expect(keep.stdout).not.toContain("would remove /var/log/opendray");
  });

  test("install on Linux without systemd refuses clearly and writes nothing", async () => {
    // An unknown account keeps this from installing anything on a machine that does run systemd.
    const r = await opendray(["service", "install", "--user", "no-such-user-xyz", "--binary", process.execPath]);
    expect(r.code).toBe(1);
    const hasSystemd = existsSync("/run/systemd/system") || process.platform !== "linux";
    expect(r.stderr).toContain(hasSystemd ? "no-such-user-xyz" : "systemd is not running on this machine");
    expect(existsSync("/etc/systemd/system/opendray.service")).toBe(false);
  });

  test("usage errors exit 2", async () => {
    expect((await opendray(["service", "install", "--bogus"])).code).toBe(2);
    expect((await opendray(["service", "frobnicate"])).code).toBe(2);
    expect((await opendray(["service"])).code).toBe(2);
    expect((await opendray(["service", "install", "--platform", "windows", "--dry-run"])).code).toBe(2);
  });

  test("help lists every command", async () => {
    const r = await opendray(["service", "help"]);
    expect(r.code).toBe(0);
    for (const c of ["install", "uninstall", "start", "stop", "restart", "status", "logs", "--dry-run", "--user"])
      expect(r.stdout).toContain(c);
  });
});
