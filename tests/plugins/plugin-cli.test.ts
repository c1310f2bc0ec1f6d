import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN } from "../harness";

const home = mkdtempSync(join(tmpdir(), "plugin-cli-"));
const env = { ...process.env, OPENDRAY_HOME: join(home, ".opendray") } as Record<string, string>;
const work = mkdtempSync(join(tmpdir(), "plugin-cli-work-"));

function opendray(...args: string[]) {
  const r = Bun.spawnSync([process.execPath, MAIN, "plugin", ...args], { env, cwd: work });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

test("scaffold, validate, install, list and remove a plugin from the command line", () => {
  const scaffold = opendray("scaffold", "my-agent");
  expect(scaffold.code).toBe(0);
  expect(existsSync(join(work, "my-agent", "manifest.json"))).toBe(true);
  expect(opendray("validate", join(work, "my-agent")).code).toBe(0);

  const install = opendray("install", join(work, "my-agent"));
  expect(install.code).toBe(0);
  const installed = join(home, ".opendray", "plugins", "agents", "my-agent", "manifest.json");
  expect(existsSync(installed)).toBe(true);
  expect(opendray("install", join(work, "my-agent")).code).toBe(1);
  expect(opendray("install", join(work, "my-agent"), "--force").code).toBe(0);

  const list = opendray("list");
  expect(list.out).toMatch(/^my-agent\s+agent\s+user\s+missing\s/m);
  expect(list.out).toMatch(/^claude\s+agent\s+/m);

  expect(opendray("remove", "my-agent").code).toBe(0);
  expect(existsSync(installed)).toBe(false);
  const again = opendray("remove", "my-agent");
  expect(again.code).toBe(1);
  expect(again.err).toContain("not installed");
  const builtin = opendray("remove", "claude");
  expect(builtin.code).toBe(1);
  expect(builtin.err).toContain("builtin");
});

test("an invalid manifest is refused with its file, field and reason, and a non-zero exit", () => {
  const dir = join(work, "bad");
  opendray("scaffold", "bad");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ ...manifest, kind: "agent", cliSpec: { args: [] }, extra: 1 }),
  );
  const validate = opendray("validate", dir);
  expect(validate.code).toBe(1);
  expect(validate.err).toContain(`${join(dir, "manifest.json")}: cliSpec.command: required field is missing`);
  expect(validate.err).toContain("cliSpec.args: unknown field");
  expect(validate.err).toContain("extra: unknown field");
  const install = opendray("install", dir);
  expect(install.code).toBe(1);
  expect(install.err).toContain("not installed");
  expect(opendray("validate").code).toBe(2);
  expect(opendray("frobnicate").code).toBe(2);
  expect(opendray("scaffold", "Bad Name").code).not.toBe(0);
});

test("the compiled binary carries the builtin manifests: outside a checkout it still knows every agent and panel", () => {
  const binary = join(import.meta.dir, "..", "..", "dist", "opendray");
  if (!existsSync(binary))
    throw new Error(`${binary} is missing: run "bun run build" (the test prep of "bun run test" does)`);
  const empty = mkdtempSync(join(tmpdir(), "plugin-cli-empty-"));
  const r = Bun.spawnSync([binary, "plugin", "list"], { env, cwd: empty });
  const out = r.stdout.toString();
  expect(r.exitCode).toBe(0);
  const builtins = out.split("\n").filter((l) => /^\S+\s+(agent|panel)\s+builtin\s/.test(l));
  expect(builtins.length).toBe(17);
  expect(out).toMatch(/^qwen-code\s+agent\s+builtin\s+installed\s/m);
});
