import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinManifests } from "./builtin";
import { manifestJsonSchemaText } from "./json-schema";
import { parseManifest, parseManifestText } from "./manifest";
import { findManifestFiles } from "./scan";

const root = join(import.meta.dir, "..", "..");

test("every manifest in the repo validates, starts with $schema, and is embedded as a builtin", () => {
  const files = findManifestFiles(join(root, "plugins"));
  expect(files.length).toBe(17);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const result = parseManifestText(text);
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
    expect(Object.keys(JSON.parse(text))[0]).toBe("$schema");
  }
  expect(builtinManifests.map((b) => b.file).sort()).toEqual(files.map((f) => f.slice(root.length + 1)).sort());
  const agents = builtinManifests
    .map((b) => b.json as { kind: string; name: string })
    .filter((m) => m.kind === "agent");
  expect(agents.map((m) => m.name).sort()).toEqual(["claude", "codex", "gemini", "opencode", "qwen-code", "terminal"]);
});

test("the editor JSON Schema in plugins/schema is generated from the valibot schema and up to date", () => {
  const committed = readFileSync(join(root, "plugins", "schema", "manifest.schema.json"), "utf8");
  expect(committed).toBe(manifestJsonSchemaText());
  const schema = JSON.parse(committed);
  expect(JSON.stringify(schema)).toContain('"additionalProperties":false');
});

test("the README's example manifest is accepted as written", () => {
  const result = parseManifest({
    name: "my-agent",
    kind: "agent",
    icon: "🤖",
    cliSpec: { command: "my-agent-cli", defaultArgs: ["--no-color"], installDetect: "which my-agent-cli" },
    capabilities: { supportsResume: false, supportsStream: true, supportsMcp: true },
  });
  expect(result.ok).toBe(true);
});

test("a broken manifest is reported with each field and why", () => {
  const result = parseManifest({
    name: "My Agent",
    kind: "agent",
    cliSpec: { command: "x", colour: "red" },
    capabilities: { supportsResume: true, supportsStream: "yes", supportsMcp: false },
  });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  const byPath = Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
  expect(byPath.name).toContain("lowercase");
  expect(byPath["cliSpec.colour"]).toBe("unknown field");
  expect(byPath["capabilities.supportsStream"]).toContain("boolean");
});

test("resume needs a spec that can work", () => {
  const base = {
    name: "a",
    kind: "agent",
    cliSpec: { command: "a" },
    capabilities: { supportsResume: true, supportsStream: true, supportsMcp: false },
  };
  const noSpec = parseManifest(base);
  expect(noSpec.ok ? [] : noSpec.issues).toEqual([
    { path: "resume", message: "required when capabilities.supportsResume is true" },
  ]);
  const mintWithoutId = parseManifest({
    ...base,
    resume: { strategy: "mint", startArgs: ["--new"], resumeArgs: ["--resume", "{id}"] },
  });
  expect(mintWithoutId.ok ? [] : mintWithoutId.issues.map((i) => i.message)).toEqual([
    "mint needs startArgs containing {id}",
  ]);
  expect(parseManifestText("{ nope").ok).toBe(false);
});

test("every shipped plugin has its description, and a name where it is not a brand, in Simplified Chinese", () => {
  for (const { json } of builtinManifests) {
    const m = json as { name: string; kind: string; i18n?: Record<string, Record<string, string>> };
    const zh = m.i18n?.["zh-CN"];
    expect({ plugin: m.name, description: /\p{Script=Han}/u.test(zh?.description ?? "") }).toEqual({
      plugin: m.name,
      description: true,
    });
    if (m.kind === "panel" || m.name === "terminal") expect(zh?.displayName ?? "").not.toBe("");
  }
});

test("a manifest's translations are keyed by language tag and carry only a name and a description", () => {
  const base = { name: "notes", kind: "panel" };
  expect(parseManifest({ ...base, i18n: { "zh-CN": { displayName: "笔记", description: "笔记面板" } } }).ok).toBe(true);
  const bad = parseManifest({ ...base, i18n: { "Chinese!": { displayName: "笔记" }, fr: { icon: "x" } } });
  expect(bad.ok).toBe(false);
  if (bad.ok) return;
  const byPath = Object.fromEntries(bad.issues.map((i) => [i.path, i.message]));
  expect(byPath["i18n.Chinese!"]).toContain("language tag");
  expect(byPath["i18n.fr.icon"]).toBe("unknown field");
});
