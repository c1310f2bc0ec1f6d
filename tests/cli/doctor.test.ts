import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opendray } from "./cli";

function home(config?: string, mode = 0o600) {
  const dir = mkdtempSync(join(tmpdir(), "opendray-doctor-"));
  const h = join(dir, "home");
  mkdirSync(h);
  if (config !== undefined) {
    writeFileSync(join(h, "config.toml"), config);
    chmodSync(join(h, "config.toml"), mode);
  }
  return {
    HOME: dir,
    OPENDRAY_HOME: h,
    OPENDRAY_CONFIG: undefined,
    LISTEN_ADDR: undefined,
    JWT_SECRET: undefined,
    DB_HOST: undefined,
  };
}
const secret = `jwt_secret = "${"s".repeat(40)}"`;
const line = (out: string, name: string) => out.split("\n").find((l) => l.slice(6).startsWith(name.padEnd(9))) ?? "";

describe("opendray doctor", () => {
  test("a fresh machine has warnings with fixes and no failures", async () => {
    const r = await opendray(["doctor"], home());
    expect(r.code).toBe(0);
    expect(line(r.stdout, "config")).toStartWith("WARN  config    no ");
    expect(line(r.stdout, "database")).toStartWith("WARN  database  bundled, not initialised yet");
    expect(r.stdout).toContain("fix: opendray setup");
    for (const name of ["listen", "auth", "pty host", "server", "agents", "telegram", "service"])
      expect(line(r.stdout, name)).not.toBe("");
  });

  test("an invalid config is a failure naming the key", async () => {
    const r = await opendray(["doctor"], home('[server]\nlisten_addr = "nowhere"\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toStartWith("FAIL  config    invalid configuration:; server.listen_addr: host:port");
    expect(r.stdout).toContain("fix: correct the value named above");
  });

  test("an unreachable external database fails with the fix", async () => {
    const r = await opendray(
      ["doctor"],
      home(`[auth]\n${secret}\n\n[db]\nmode = "external"\n\n[db.external]\nhost = "127.0.0.1"\nport = 1\n`),
    );
    expect(r.code).toBe(1);
    expect(line(r.stdout, "database")).toStartWith("FAIL  database  cannot connect to opendray@127.0.0.1:1/opendray");
    expect(r.stdout).toContain("fix: check [db.external] in config.toml");
  });

  test("listening on all interfaces and a world-readable config are warned about", async () => {
    const r = await opendray(["doctor"], home(`[server]\nlisten_addr = "0.0.0.0:8640"\n\n[auth]\n${secret}\n`, 0o644));
    expect(line(r.stdout, "listen")).toStartWith("WARN  listen    0.0.0.0:8640 is reachable from the network");
    expect(r.stdout).toContain("fix: set server.tls_cert and server.tls_key, serve it through a TLS reverse proxy");
    expect(line(r.stdout, "config")).toContain("is readable by others (mode 644)");
    expect(r.stdout).toMatch(/fix: chmod 600 \S+config\.toml/);
    expect(line(r.stdout, "auth")).toStartWith("OK    auth      JWT secret from config.toml (40 characters)");
  });

  test("agents come from the plugin manifests, and a broken manifest is warned about", async () => {
    const env = home(`[auth]\n${secret}\n`);
    const plugins = join(env.HOME, "plugins");
    mkdirSync(join(plugins, "broken"), { recursive: true });
    writeFileSync(join(plugins, "broken", "manifest.json"), '{"name": "broken", "kind": "agent"}');
    const r = await opendray(["doctor"], { ...env, PLUGIN_DIR: plugins });
    expect(line(r.stdout, "agents")).toMatch(/^(OK {4}agents {4}installed: |WARN {2}agents {4}none of )/);
    expect(line(r.stdout, "agents")).toContain("claude");
    expect(line(r.stdout, "plugins")).toStartWith("WARN  plugins   1 invalid manifest(s), skipped:");
    expect(line(r.stdout, "plugins")).toContain(join("broken", "manifest.json"));
  });
});
