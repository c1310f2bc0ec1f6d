import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverTasks, justRecipes, makeTargets, taskId } from "./discover";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const project = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), "opendray-tasks-"));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
};

test("package.json scripts run with the packageManager's runner, else the lockfile's, else npm", () => {
  const scripts = JSON.stringify({ scripts: { build: "tsc", "test:unit": "x" } });
  const pm = project({ "package.json": JSON.stringify({ packageManager: "pnpm@9.1.0", scripts: { dev: "vite" } }) });
  expect(discoverTasks(pm).map((t) => t.command)).toEqual(["pnpm run dev"]);
  expect(discoverTasks(project({ "package.json": scripts, "bun.lock": "" }))[0]?.command).toBe("bun run build");
  expect(discoverTasks(project({ "package.json": scripts, "yarn.lock": "" }))[1]?.command).toBe("yarn run test:unit");
  expect(discoverTasks(project({ "package.json": scripts }))[0]?.command).toBe("npm run build");
  expect(discoverTasks(project({ "package.json": "{ broken" }))).toEqual([]);
});

test("Makefile targets, justfile recipes and shell scripts are found; ids are stable sha1 prefixes", () => {
  expect(makeTargets(".PHONY: all test\nCC := gcc\nall: build\n\tcc x\nbuild test: dep\n%.o: %.c\nX = a:b\n")).toEqual([
    "all",
    "build",
    "test",
  ]);
  expect(
    justRecipes('set shell := ["bash"]\nalias b := build\nversion := "1"\nbuild:\n  cc\n@lint arg=\'x\':\n'),
  ).toEqual(["build", "lint"]);
  const d = project({ Makefile: "deploy:\n\techo\n", justfile: "fmt:\n  x\n", "scripts/seed db.sh": "", "run.sh": "" });
  const tasks = discoverTasks(d);
  expect(tasks.map((t) => [t.source, t.name, t.command])).toEqual([
    ["make", "deploy", "make deploy"],
    ["just", "fmt", "just fmt"],
    ["script", "run.sh", "bash ./run.sh"],
    ["script", "scripts/seed db.sh", "bash './scripts/seed db.sh'"],
  ]);
  expect(tasks[0]?.id).toBe(taskId("make", d, "deploy"));
  expect(tasks[0]?.id).toMatch(/^[0-9a-f]{16}$/);
});
