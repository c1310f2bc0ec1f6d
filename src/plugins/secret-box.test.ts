import { expect, test } from "bun:test";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "./secret-box";

test("plugin secrets are sealed under a 0600 key file and only that key opens them", () => {
  const dir = mkdtempSync(join(tmpdir(), "secret-box-"));
  const keyFile = join(dir, "keys", "plugin-secrets.key");
  const box = SecretBox.fromKeyFile(keyFile);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  const sealed = box.seal("sk-very-secret");
  expect(sealed).not.toContain("sk-very-secret");
  expect(sealed).not.toBe(box.seal("sk-very-secret"));
  expect(SecretBox.fromKeyFile(keyFile).open(sealed)).toBe("sk-very-secret");

  const other = SecretBox.fromKeyFile(join(dir, "other.key"));
  expect(other.open(sealed)).toBeNull();
  const [v, iv, tag, data] = sealed.split(":");
  const flipped = Buffer.from(data as string, "base64");
  flipped[0] = (flipped[0] as number) ^ 1;
  expect(box.open([v, iv, tag, flipped.toString("base64")].join(":"))).toBeNull();
  expect(box.open("plain text")).toBeNull();
});
