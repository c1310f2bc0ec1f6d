import { expect, test } from "bun:test";
import { affirmative, diffKind, promptContext } from "../../ui/src/lib/prompt-context";

test("a Claude file edit's card shows the file name and the diff lines above the question", () => {
  const screen = [
    "╭──────────────────────────────╮",
    "│ Edit file                    │",
    "│ ╭──────────────────────────╮ │",
    "│ │ src/app.ts               │ │",
    "│ │ 3 - const a = 1;         │ │",
    "│ │ 3 + const a = 2;         │ │",
    "│ ╰──────────────────────────╯ │",
    "│ Do you want to make this edit to app.ts? │",
    "│ ❯ 1. Yes                     │",
  ];
  const ctx = promptContext(screen, "Do you want to make this edit to app.ts?");
  expect(ctx.file).toBe("app.ts");
  expect(ctx.lines).toContain("3 - const a = 1;");
  expect(ctx.lines.map(diffKind).filter(Boolean)).toEqual(["del", "add"]);
});

test("the affirmative option is the primary one, whatever its position", () => {
  expect(
    affirmative([
      { key: "n", label: "No" },
      { key: "y", label: "Yes" },
    ]),
  ).toBe("y");
  expect(
    affirmative([
      { key: "1", label: "1. Yes" },
      { key: "3", label: "3. No" },
    ]),
  ).toBe("1");
  expect(affirmative([{ key: "a", label: "Red" }])).toBeNull();
});
