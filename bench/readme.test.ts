import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
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
