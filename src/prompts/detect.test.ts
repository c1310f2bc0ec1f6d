import { describe, expect, test } from "bun:test";
import { detectPrompt } from "./detect";
import { InvalidKeyError, keysFor } from "./keys";

// The thirteen prompt shapes generic detection must handle (y/n, y/n/a, numbered and bullet menus…), on plain screens.
const detect = (text: string) => detectPrompt(text.split("\n"), undefined);
const keys = (text: string, pick: string[]) => {
  const p = detect(text);
  if (!p) throw new Error("no prompt");
  return keysFor(p, pick);
};

describe("generic prompt detection (original cases)", () => {
  test("1. [y/N/a] offers Yes, No and Always", () => {
    const p = detect("Allow this? [y/N/a]");
    expect(p?.kind).toBe("yes_no_always");
    expect(p?.options.map((o) => o.key)).toEqual(["y", "n", "a"]);
    expect(["y", "n", "a"].map((k) => keys("Allow this? [y/N/a]", [k]))).toEqual(["y\r", "n\r", "a\r"]);
  });

  test("2. [y/N] and (y/n) are yes/no questions", () => {
    expect(detect("Continue? [y/N]")?.kind).toBe("yes_no");
    expect(detect("Overwrite the file (y/n)")?.kind).toBe("yes_no");
    expect(keys("Continue? [y/N]", ["n"])).toBe("n\r");
  });

  test("3. a numbered list under a question offers its options; option 1 sends 1 and Enter", () => {
    const p = detect("Which approach?\n1. Rewrite the parser\n2. Patch the tokenizer\n3. Leave it");
    expect(p?.kind).toBe("numbered");
    expect(p?.question).toBe("Which approach?");
    expect(p?.options).toEqual([
      { key: "1", label: "Rewrite the parser" },
      { key: "2", label: "Patch the tokenizer" },
      { key: "3", label: "Leave it" },
    ]);
    expect(keys("Which approach?\n1. a\n2. b\n3. c", ["1"])).toBe("1\r");
  });

  test("4. numbered lists that are not questions are not prompts", () => {
    expect(detect("The following files were modified:\n1. src/a.go\n2. src/b.go")).toBeNull();
    expect(
      detect("Recent commits:\n1. 3f2a9c1 fix: parser\n2. 9b8e7d6 feat: tokens\n3. 1a2b3c4 chore: deps"),
    ).toBeNull();
    expect(
      detect("commit 3f2a9c1\nAuthor: Ada <ada@example.com>\n\n    1. fix the parser\n    2. add tests"),
    ).toBeNull();
    expect(detect("Which one?\n1. first\n3. third")).toBeNull();
    expect(detect("Which one?\n1. only option")).toBeNull();
  });

  test("5. inline lettered options (a) (b) (c); (a),(c) is not a prompt", () => {
    const p = detect("Should I (a) continue, (b) modify the plan, or (c) stop?");
    expect(p?.kind).toBe("lettered");
    expect(p?.options).toEqual([
      { key: "a", label: "continue" },
      { key: "b", label: "modify the plan" },
      { key: "c", label: "stop" },
    ]);
    expect(keys("Should I (a) continue, (b) modify the plan, or (c) stop?", ["b"])).toBe("b\r");
    expect(detect("See notes (a), (c)")).toBeNull();
  });

  test("6. bullets after a question get keys 1–3", () => {
    const p = detect("Choose one:\n- Alpha\n- Beta\n- Gamma");
    expect(p?.options).toEqual([
      { key: "1", label: "Alpha" },
      { key: "2", label: "Beta" },
      { key: "3", label: "Gamma" },
    ]);
  });

  test("7. 'Allow this tool to execute?' offers Allow and Deny", () => {
    const p = detect("Allow this tool to execute?");
    expect(p?.kind).toBe("allow_deny");
    expect(p?.options).toEqual([
      { key: "y", label: "Allow" },
      { key: "n", label: "Deny" },
    ]);
  });

  test("8. plan phrases ask for approval; 'What do you think?' does not", () => {
    for (const q of ["Shall I proceed?", "Ready to implement?", "Want me to go ahead?"])
      expect(detect(q)?.kind).toBe("plan_approval");
    expect(keys("Shall I proceed?", ["y"])).toBe("y\r");
    expect(detect("What do you think?")?.kind).not.toBe("plan_approval");
  });

  test("9. 'Port [8080]:' offers to accept the default with Enter; 'Enter your name:' is not a prompt", () => {
    const p = detect("Port [8080]:");
    expect(p?.kind).toBe("default_value");
    expect(p?.options).toEqual([{ key: "accept", label: "Accept: 8080" }]);
    expect(keys("Port [8080]:", ["accept"])).toBe("\r");
    expect(detect("Enter your name:")).toBeNull();
  });

  test("10. press/hit Enter prompts send Enter", () => {
    expect(detect("Press Enter to continue...")?.kind).toBe("enter_continue");
    expect(detect("Hit Enter when ready.")?.kind).toBe("enter_continue");
    expect(keys("Hit Enter when ready.", ["enter"])).toBe("\r");
  });

  test("11. open questions get no buttons; a closed question is yes/no", () => {
    for (const q of ["Which file should I modify?", "tabs or spaces?"]) {
      const p = detect(q);
      expect(p?.kind).toBe("question");
      expect(p?.options).toEqual([]);
      expect(() => keysFor(p as NonNullable<typeof p>, ["y"])).toThrow(InvalidKeyError);
    }
    expect(detect("Is this correct?")?.kind).toBe("yes_no");
  });

  test("12. [y/N/a] beats a numbered list", () => {
    expect(detect("Which approach?\n1. a\n2. b\nApply both? [y/N/a]")?.kind).toBe("yes_no_always");
  });

  test("13. a numbered list plus 'Select all that apply.' or (可多选) is multi-select; picks are sent space-separated", () => {
    for (const text of [
      "Which features?\n1. Auth\n2. Search\n3. Export\nSelect all that apply.",
      "需要哪些功能？(可多选)\n1. 登录\n2. 搜索",
    ]) {
      const p = detect(text);
      expect(p?.kind).toBe("multi_select");
      expect(p?.multi).toBe(true);
    }
    expect(keys("Which features?\n1. Auth\n2. Search\n3. Export\nSelect all that apply.", ["1", "3"])).toBe("1 3\r");
  });

  test("a question that scrolled away under later output is not a prompt", () => {
    expect(detect("Continue? [y/N] y\nInstalling 42 packages\nDone in 3.1s")).toBeNull();
  });

  test("keys not offered are refused", () => {
    const p = detect("Allow this? [y/N/a]");
    if (!p) throw new Error("no prompt");
    expect(() => keysFor(p, ["x"])).toThrow(InvalidKeyError);
    expect(() => keysFor(p, ["y", "n"])).toThrow(InvalidKeyError);
    expect(() => keysFor(p, [])).toThrow(InvalidKeyError);
  });
});
