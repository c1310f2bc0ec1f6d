import { expect, test } from "bun:test";
import type { Prompt } from "../prompts";
import type { LiveScreens } from "../screen/sessions";
import { type AskEvent, AskPrompts } from "./asks";

const screenPrompt: Prompt = {
  id: "p-screen",
  sessionId: "s1",
  agent: "claude",
  kind: "permission",
  question: "Do you want to proceed?",
  options: [{ key: "1", label: "Yes" }],
  multi: false,
  detectedAt: "2026-01-01T00:00:00.000Z",
};

function screens(): LiveScreens & { answered: string[] } {
  const answered: string[] = [];
  const tracker = {
    current: () => screenPrompt,
    answerAndWait: async (promptId: string) => {
      answered.push(promptId);
      return { bytes: "1", keystrokes: ["1"], outcome: "cleared" as const, prompt: null };
    },
  };
  return {
    answered,
    screen: () => {
      throw new Error("no screen");
    },
    find: () => undefined,
    prompt: () => screenPrompt,
    tracker: () => tracker,
  };
}

test("a question is shown over the screen's prompt, answered by its keys, and the screen's prompt shows again", async () => {
  const events: AskEvent[] = [];
  const asks = new AskPrompts((_id, e) => events.push(e));
  const inner = screens();
  const shown = asks.over(inner);
  const pending = asks.ask("s1", "claude", { question: "Which?", options: ["a", "b"], multi: false }, 10_000);
  const open = shown.prompt("s1") as Prompt;
  expect(open).toMatchObject({
    kind: "ask",
    question: "Which?",
    options: [
      { key: "1", label: "a" },
      { key: "2", label: "b" },
    ],
  });
  expect(shown.tracker("s1").current()?.id).toBe(open.id);
  await expect(shown.tracker("s1").answerAndWait(open.id, ["3"], 100)).rejects.toThrow(/not an option/);
  await expect(shown.tracker("s1").answerAndWait(open.id, ["1", "2"], 100)).rejects.toThrow(/exactly one/);
  expect(await shown.tracker("s1").answerAndWait(open.id, ["2"], 100)).toMatchObject({ outcome: "cleared" });
  expect((await pending).keys).toEqual(["2"]);
  expect(events.map((e) => e.type)).toEqual(["prompt", "prompt_cleared"]);
  expect(shown.prompt("s1")?.id).toBe("p-screen");
  // An answer to the screen's own prompt still goes to the screen.
  await shown.tracker("s1").answerAndWait("p-screen", ["1"], 100);
  expect(inner.answered).toEqual(["p-screen"]);
  // A question answered twice is stale.
  await expect(shown.tracker("s1").answerAndWait(open.id, ["1"], 100)).rejects.toThrow(/already answered/);
});

test("a second question waits for the first; a question nobody answers resolves with no keys", async () => {
  const asks = new AskPrompts(() => {});
  const first = asks.ask("s1", "codex", { question: "One?", options: ["x"], multi: false }, 60);
  const second = asks.ask("s1", "codex", { question: "Two?", options: ["y", "z"], multi: true }, 5_000);
  expect(asks.current("s1")?.question).toBe("One?");
  expect((await first).keys).toBeNull();
  await Bun.sleep(0);
  const open = asks.current("s1") as Prompt;
  expect(open.question).toBe("Two?");
  expect(open.options.every((o) => o.checked === false)).toBe(true);
  expect(asks.answer("s1", open.id, ["1", "2"])).toBe(true);
  expect((await second).keys).toEqual(["1", "2"]);
  expect(asks.current("s1")).toBeNull();
});
