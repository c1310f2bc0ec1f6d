import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./index";

const freshHome = () => mkdtempSync(join(tmpdir(), "od-config-"));

describe("configuration", () => {
  test("defaults to loopback 8640, bundled database, generated secrets saved 0600", () => {
    const home = freshHome();
    const c = loadConfig({ env: { OPENDRAY_HOME: home }, persistGenerated: true });
    expect(c.server.listenAddr).toBe("127.0.0.1:8640");
    expect(c.db.mode).toBe("bundled");
    expect(c.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(c.sources["auth.jwt_secret"]).toBe("generated");
    expect(statSync(join(home, "config.toml")).mode & 0o777).toBe(0o600);
    const again = loadConfig({ env: { OPENDRAY_HOME: home } });
    expect(again.auth.jwtSecret).toBe(c.auth.jwtSecret);
    expect(again.sources["auth.jwt_secret"]).toBe("file");
  });

  test("DB_HOST forces external mode and env wins over the file", () => {
    const home = freshHome();
    writeFileSync(join(home, "config.toml"), '[server]\nlisten_addr = "127.0.0.1:9000"\n');
    const c = loadConfig({ env: { OPENDRAY_HOME: home, DB_HOST: "db.local", LISTEN_ADDR: "127.0.0.1:9100" } });
    expect(c.db.mode).toBe("external");
    expect(c.server.port).toBe(9100);
    expect(c.sources["server.listen_addr"]).toBe("env");
  });

  test.each([
    [{ LISTEN_ADDR: "localhost" }, "LISTEN_ADDR"],
    [{ LISTEN_ADDR: "127.0.0.1:0" }, "LISTEN_ADDR"],
    [{ LOG_LEVEL: "verbose" }, "allowed values: debug, info, warn, error"],
    [{ MAX_SESSIONS: "lots" }, "MAX_SESSIONS"],
    [{ AUTO_RESUME: "maybe" }, "AUTO_RESUME"],
  ])("a bad value %p stops start-up naming the key", (env, expected) => {
    expect(() => loadConfig({ env: { OPENDRAY_HOME: freshHome(), ...env } })).toThrow(expected);
  });

  test("a fresh home refuses a non-loopback listen address before generating a secret", () => {
    const home = freshHome();
    const env = { OPENDRAY_HOME: home, LISTEN_ADDR: "0.0.0.0:8640" };
    expect(() => loadConfig({ env, persistGenerated: true })).toThrow("without a JWT secret");
    expect(existsSync(join(home, "config.toml"))).toBe(false);
  });

  test("TRUSTED_PROXIES takes IPs and CIDRs and names a bad entry", () => {
    const env = { OPENDRAY_HOME: freshHome(), TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8,::1" };
    expect(loadConfig({ env }).server.trustedProxies).toEqual(["127.0.0.1", "10.0.0.0/8", "::1"]);
    expect(loadConfig({ env: { OPENDRAY_HOME: freshHome() } }).server.trustedProxies).toEqual([]);
    for (const bad of ["proxy.local", "10.0.0.0/33", "1.2.3.4/8/1"])
      expect(() => loadConfig({ env: { ...env, TRUSTED_PROXIES: bad } })).toThrow("TRUSTED_PROXIES");
  });

  test("refuses a non-loopback listen address without a JWT secret", () => {
    const home = freshHome();
    writeFileSync(join(home, "config.toml"), '[server]\nlisten_addr = "0.0.0.0:8640"\n');
    expect(() => loadConfig({ env: { OPENDRAY_HOME: home } })).toThrow("without a JWT secret");
    expect(loadConfig({ env: { OPENDRAY_HOME: home, JWT_SECRET: "x".repeat(32) } }).server.host).toBe("0.0.0.0");
  });
});
