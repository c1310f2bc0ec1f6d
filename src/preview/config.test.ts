import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config";

const home = () => join(mkdtempSync(join(tmpdir(), "opendray-preview-cfg-")), "home");

test("previews default to origin mode on ports 8650-8699; a wildcard domain switches to domain mode", () => {
  const c = loadConfig({ env: { OPENDRAY_HOME: home() } });
  expect(c.preview).toEqual({
    mode: "origin",
    portRange: [8650, 8699],
    domain: undefined,
    allowPorts: [],
    browser: "/usr/bin/chromium",
  });
  const d = loadConfig({
    env: { OPENDRAY_HOME: home(), PREVIEW_DOMAIN: "preview.example.com", PREVIEW_ALLOW_PORTS: "3000, 8000-8100" },
  });
  expect(d.preview.mode).toBe("domain");
  expect(d.preview.allowPorts).toEqual([
    [3000, 3000],
    [8000, 8100],
  ]);
});

test.each([
  [{ PREVIEW_PORT_RANGE: "9000-8000" }, "PREVIEW_PORT_RANGE: a range of ports from 1 to 65535, low-high"],
  [{ PREVIEW_ALLOW_PORTS: "http" }, "PREVIEW_ALLOW_PORTS: ports or ranges"],
  [{ PREVIEW_MODE: "tunnel" }, "PREVIEW_MODE: allowed values: origin, domain, path"],
])("a bad preview setting %p stops start-up naming it", (env, message) => {
  expect(() => loadConfig({ env: { OPENDRAY_HOME: home(), ...env } })).toThrow(message);
});
