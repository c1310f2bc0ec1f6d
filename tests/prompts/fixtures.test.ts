import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinPromptRules } from "../../src/prompts/builtin-rules";
import { detectPrompt } from "../../src/prompts/detect";
import { keysFor } from "../../src/prompts/keys";

// Screens captured from the real CLIs (tests/prompts/capture.ts) and the prompt each must yield.
const dir = join(import.meta.dir, "fixtures");
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".txt"))
  .map((f) => f.slice(0, -4));

describe("prompts on captured agent screens", () => {
  test("the corpus is there", () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of names) {
    test(`${name} yields its expected prompt`, () => {
      const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
      const lines = readFileSync(join(dir, `${name}.txt`), "utf8").split("\n");
      const p = detectPrompt(lines, builtinPromptRules[expected.agent], expected.agent);
      expect(p && { kind: p.kind, question: p.question, options: p.options, multi: p.multi, answer: p.answer }).toEqual(
        expected.prompt,
      );
    });
  }

  test("Claude Code permission: option 1 is the digit alone, as its menu takes it", () => {
    const lines = readFileSync(join(dir, "claude-write.txt"), "utf8").split("\n");
    const p = detectPrompt(lines, builtinPromptRules.claude, "claude");
    expect(p && keysFor(p, ["1"])).toBe("1");
    expect(p && keysFor(p, ["2"])).toBe("2");
  });

  test("Claude Code multi-select: toggles the rows whose state changes, then moves to Submit", () => {
    const lines = readFileSync(join(dir, "claude-ask-multi-toggled.txt"), "utf8").split("\n");
    const p = detectPrompt(lines, builtinPromptRules.claude, "claude");
    if (!p) throw new Error("no prompt");
    // Lint is already checked and the cursor is on Typecheck (row 1); Submit is row 4.
    expect(keysFor(p, ["1", "3"])).toBe("\x1b[B \x1b[B\x1b[B\r");
    // Keeping only Typecheck unchecks Lint (row 0) and checks Typecheck (row 1).
    expect(keysFor(p, ["2"])).toBe("\x1b[A \x1b[B \x1b[B\x1b[B\x1b[B\r");
  });
});
