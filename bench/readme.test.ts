import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

/** The script column of the bench table: the rows of the table that follows the `bench/` paragraph. */
function benchRows(readme: string): string[] {
  const text = readFileSync(join(ROOT, readme), "utf8");
  const from = text.indexOf("`bench/`");
  const table = text.slice(from).split("\n\n")[1] ?? "";
  return table
    .split("\n")
    .map((line) => line.split("|")[1]?.trim() ?? "")
    .filter((cell) => cell && !/^-+$/.test(cell));
}

for (const readme of ["README.md", "README.zh-CN.md"])
  test(`${readme}'s bench table has one header and names each script once, each one in bench/`, () => {
    const rows = benchRows(readme);
    const scripts = rows.slice(1);
    expect(scripts.length).toBeGreaterThan(10);
    expect(scripts.filter((s) => !/^`[\w-]+\.ts`$/.test(s))).toEqual([]);
    expect(scripts.filter((s, i) => scripts.indexOf(s) !== i)).toEqual([]);
    expect(scripts.filter((s) => !existsSync(join(ROOT, "bench", s.slice(1, -1))))).toEqual([]);
  });

/** bench/*.ts a person runs: not the shared helpers, not a file another script spawns or imports. */
function benchScripts(): string[] {
  const dir = join(ROOT, "bench");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const helpers = new Set(["common.ts", "run-all.ts"]);
  const named = (f: string) =>
    files.some((g) => g !== f && !helpers.has(g) && readFileSync(join(dir, g), "utf8").includes(f.slice(0, -3)));
  return files.filter((f) => !helpers.has(f) && !named(f)).sort();
}

for (const readme of ["README.md", "README.zh-CN.md"])
  test(`${readme}'s bench table lists every benchmark script in bench/`, () => {
    const listed = new Set(benchRows(readme).map((s) => s.slice(1, -1)));
    expect(benchScripts().length).toBeGreaterThan(10);
    expect(benchScripts().filter((s) => !listed.has(s))).toEqual([]);
  });
