import { afterAll, describe, expect, test } from "bun:test";
import type { AppError } from "../errors/index";
import { ScreenHost, ScreenModel } from "../screen/index";
import { builtinPromptRules } from "./builtin-rules";
import { type Prompt, PromptTracker } from "./tracker";

const host = new ScreenHost();
afterAll(() => host.terminate());
const enc = new TextEncoder();

function session(agent = "terminal", guardMs = 0) {
  const screen = new ScreenModel(80, 12, 200, { host });
  let at = 0;
  const sent: string[] = [];
  const tracker = new PromptTracker({
    sessionId: "s1",
    agent,
    rules: builtinPromptRules[agent],
    screen,
    write: (k) => sent.push(k),
    answerGuardMs: guardMs,
  });
  const print = (text: string) => {
    const bytes = enc.encode(text);
    at += bytes.length;
    screen.write(bytes, at);
  };
  const nextPrompt = () => new Promise<Prompt>((resolve) => tracker.onPrompt(resolve));
  const nextCleared = () => new Promise<string>((resolve) => tracker.onCleared(resolve));
  return { screen, tracker, print, sent, nextPrompt, nextCleared };
}

describe("prompt tracker", () => {
  test("a [y/N] question becomes a prompt with an id, and clears when the screen moves on", async () => {
    const s = session();
    const appeared = s.nextPrompt();
    s.print("Installing…\r\nOverwrite config.toml? [y/N] ");
    const p = await appeared;
    expect(p).toMatchObject({
      sessionId: "s1",
      agent: "terminal",
      kind: "yes_no",
      question: "Overwrite config.toml? [y/N]",
      multi: false,
    });
    expect(p.options).toEqual([
      { key: "y", label: "Yes" },
      { key: "n", label: "No" },
    ]);
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.tracker.current()).toEqual(p);

    const cleared = s.nextCleared();
    const wait = s.tracker.waitForChange(p.id, 5000);
    expect(s.tracker.answer(p.id, ["y"])).toEqual({ bytes: "y\r", keystrokes: ["y\r"] });
    expect(s.sent).toEqual(["y\r"]);
    s.print("y\r\n\x1b[2J\x1b[Hwritten config.toml\r\n");
    expect(await cleared).toBe(p.id);
    expect(await wait).toBe("cleared");
    expect(s.tracker.current()).toBeNull();
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("two answers to one prompt: the first wins, the second is stale (409); unknown keys are 422", async () => {
    const s = session();
    const appeared = s.nextPrompt();
    s.print("Allow this? [y/N/a] ");
    const p = await appeared;
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as AppError;
      }
      throw new Error("did not throw");
    };
    const invalid = err(() => s.tracker.answer(p.id, ["x"]));
    expect([invalid.status, invalid.extra?.reason]).toEqual([422, "invalid_key"]);
    expect(err(() => s.tracker.answer("not-the-id", ["y"])).status).toBe(409);
    expect(s.tracker.answer(p.id, ["a"]).bytes).toBe("a\r");
    const stale = err(() => s.tracker.answer(p.id, ["n"]));
    expect([stale.status, stale.extra?.reason]).toEqual([409, "stale"]);
    expect(s.sent).toEqual(["a\r"]);
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("a prompt replaced by another one reports 'changed' and gets a new id", async () => {
    const s = session();
    const first = s.nextPrompt();
    s.print("Continue? [y/N] ");
    const p1 = await first;
    const change = s.tracker.waitForChange(p1.id, 5000);
    const second = s.nextPrompt();
    s.print("y\r\nWhich approach?\r\n1. Rewrite\r\n2. Patch\r\n");
    const p2 = await second;
    expect(await change).toBe("changed");
    expect(p2.id).not.toBe(p1.id);
    expect(p2.kind).toBe("numbered");
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("a numbered file list is not a prompt", async () => {
    const s = session();
    let seen: Prompt | null = null;
    s.tracker.onPrompt((p) => {
      seen = p;
    });
    s.print("The following files were modified:\r\n1. src/a.ts\r\n2. src/b.ts\r\n");
    await s.screen.settled();
    await s.tracker.check();
    expect(seen).toBeNull();
    expect(s.tracker.current()).toBeNull();
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("a prompt is still detected while output keeps streaming (a spinner)", async () => {
    const s = session();
    const appeared = s.nextPrompt();
    s.print("Continue? [y/N] ");
    const started = performance.now();
    const spin = setInterval(() => s.print("\x1b7\x1b[12;1H|\x1b8"), 10);
    await appeared;
    clearInterval(spin);
    expect(performance.now() - started).toBeLessThan(1000);
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("an answer given the instant a dialog appears is typed only once it has been on screen 250 ms", async () => {
    const s = session("terminal", 250);
    const appeared = s.nextPrompt();
    s.print("Continue? [y/N] ");
    const p = await appeared;
    const shownAt = performance.now();
    s.tracker.answer(p.id, ["y"]);
    expect(s.sent).toEqual([]);
    while (s.sent.length === 0) await Bun.sleep(5);
    expect(performance.now() - shownAt).toBeGreaterThanOrEqual(200);
    expect(s.sent).toEqual(["y\r"]);
    s.tracker.dispose();
    s.screen.dispose();
  });

  test("waiting on a prompt that never changes times out", async () => {
    const s = session();
    const appeared = s.nextPrompt();
    s.print("Continue? [y/N] ");
    const p = await appeared;
    expect(await s.tracker.waitForChange(p.id, 50)).toBe("timeout");
    s.tracker.dispose();
    s.screen.dispose();
  });
});
