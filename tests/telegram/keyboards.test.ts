import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ask, type BridgeFixture, CHAT, startBridge, TOKEN } from "./support";

// Scenarios wait for real 2-second batches, back-offs and restarts; each wait inside has its own limit.
setDefaultTimeout(30_000);
let f: BridgeFixture;
beforeAll(async () => {
  f = await startBridge({ timings: { cooldownMs: 60_000 } });
});
afterAll(async () => {
  await f.close();
});

const answered = (callbackId: string) => f.api.waitUntil(() => f.api.callbackAnswers.find((a) => a.id === callbackId));
const buttons = (m: { keyboard?: { text: string; callback_data?: string }[][] }) => (m.keyboard ?? []).flat();

describe("telegram prompt keyboards", () => {
  test("a prompt becomes an inline keyboard; tapping an option answers it and the message shows the choice", async () => {
    const s = await f.sessions.create("asker", "claude");
    const before = f.api.botMessages(CHAT).length;
    const p = f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "permission",
      question: "Do you want to create notes.txt?",
      options: [
        { key: "1", label: "Yes" },
        { key: "2", label: "Yes, and don't ask again this session" },
        { key: "3", label: "No, and tell Claude what to do differently" },
      ],
      multi: false,
    });
    const msg = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("notes.txt") ?? false, { after: before });
    expect(msg.text).toContain("asker (claude) asks");
    const all = buttons(msg);
    expect(all.map((b) => b.text)).toEqual([
      "1. Yes",
      "2. Yes, and don't ask again...",
      "3. No, and tell Claude what...",
      "📺 Screen",
    ]);
    for (const b of all) expect(new TextEncoder().encode(b.callback_data ?? "").length).toBeLessThanOrEqual(64);
    // Long labels: one button per row.
    expect(msg.keyboard?.length).toBe(4);

    const { callbackId } = f.api.userTaps(TOKEN, CHAT, msg.messageId, "o:0");
    expect((await answered(callbackId)).text).toBe("Yes");
    expect(f.sessions.answers).toEqual([{ id: s.id, promptId: p.id, keys: ["1"] }]);
    const edited = await f.api.waitUntil(() =>
      f.api.botMessages(CHAT).find((m) => m.messageId === msg.messageId && m.edits > 0),
    );
    expect(edited.text).toContain("✅ Chosen: Yes");
    expect(buttons(edited).map((b) => b.text)).toEqual(["📺 Screen"]);

    // A second tap on the old keyboard does nothing.
    const again = f.api.userTaps(TOKEN, CHAT, msg.messageId, "o:2");
    expect((await answered(again.callbackId)).text).toBe("Already answered or expired");
    expect(f.sessions.answers.length).toBe(1);
  });

  test("multi-select toggles ☐/☑ (starting from what is ticked on screen) and submits the picks; none picked is refused", async () => {
    const s = await f.sessions.create("multi", "claude");
    const before = f.api.botMessages(CHAT).length;
    const p = f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "multi",
      question: "Which checks should run? (select all that apply)",
      options: [
        { key: "1", label: "lint" },
        { key: "2", label: "types", checked: true },
        { key: "3", label: "tests" },
      ],
      multi: true,
    });
    const msg = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("Which checks") ?? false, { after: before });
    expect(buttons(msg).map((b) => b.text)).toEqual([
      "☐ 1. lint",
      "☑ 2. types",
      "☐ 3. tests",
      "✅ Submit",
      "📺 Screen",
    ]);
    const edits = (n: number) =>
      f.api.waitUntil(() => (f.api.botMessages(CHAT).find((m) => m.messageId === msg.messageId)?.edits ?? 0) >= n);
    const shown = () =>
      buttons(f.api.botMessages(CHAT).find((m) => m.messageId === msg.messageId) ?? {})
        .map((b) => b.text)
        .join(" | ");

    await answered(f.api.userTaps(TOKEN, CHAT, msg.messageId, "t:1").callbackId);
    await edits(1);
    const none = f.api.userTaps(TOKEN, CHAT, msg.messageId, "sub");
    expect((await answered(none.callbackId)).text).toBe("Pick at least one option");

    for (const data of ["t:0", "t:2"]) await answered(f.api.userTaps(TOKEN, CHAT, msg.messageId, data).callbackId);
    await edits(3);
    expect(shown()).toBe("☑ 1. lint | ☐ 2. types | ☑ 3. tests | ✅ Submit | 📺 Screen");

    await answered(f.api.userTaps(TOKEN, CHAT, msg.messageId, "sub").callbackId);
    expect(f.sessions.answers.at(-1)).toEqual({ id: s.id, promptId: p.id, keys: ["1", "3"] });
    const done = await f.api.waitUntil(() =>
      f.api.botMessages(CHAT).find((m) => m.messageId === msg.messageId && m.text?.includes("Submitted")),
    );
    expect(done.text).toContain("✅ Submitted: lint, tests");
  });

  test("a tap on a prompt that is gone edits the message to expired; a prompt answered elsewhere says so", async () => {
    const s = await f.sessions.create("stale", "claude");
    let before = f.api.botMessages(CHAT).length;
    f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "yesno",
      question: "Proceed?",
      options: [
        { key: "y", label: "Yes" },
        { key: "n", label: "No" },
      ],
      multi: false,
    });
    const first = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("Proceed?") ?? false, { after: before });
    // The prompt changes under the message (a newer one replaced it).
    before = f.api.botMessages(CHAT).length;
    f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "yesno",
      question: "Really proceed?",
      options: [{ key: "y", label: "Yes" }],
      multi: false,
    });
    const second = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("Really proceed?") ?? false, {
      after: before,
    });
    const tap = f.api.userTaps(TOKEN, CHAT, first.messageId, "o:0");
    expect((await answered(tap.callbackId)).text).toBe("Expired");
    const expired = await f.api.waitUntil(() =>
      f.api.botMessages(CHAT).find((m) => m.messageId === first.messageId && m.edits > 0),
    );
    expect(expired.text).toContain("Expired");
    expect(expired.keyboard).toBeUndefined();

    f.sessions.clearPrompt(s.id);
    const closed = await f.api.waitUntil(() =>
      f.api.botMessages(CHAT).find((m) => m.messageId === second.messageId && m.edits > 0),
    );
    expect(closed.text).toContain("Answered elsewhere");
    expect(f.sessions.answers.some((a) => a.id === s.id)).toBe(false);
  });

  test("the Screen button sends a snapshot; /yes answers the linked session's prompt", async () => {
    const s = await f.sessions.create("screened", "claude");
    await f.sessions.input(s.id, "echo on-screen-now\r");
    await f.api.waitUntil(() => f.sessions.text(s.id).includes("on-screen-now\r\n"));
    const before = f.api.botMessages(CHAT).length;
    const p = f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "yesno",
      question: "Apply the edit?",
      options: [
        { key: "y", label: "Yes" },
        { key: "n", label: "No" },
      ],
      multi: false,
    });
    const msg = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("Apply the edit?") ?? false, {
      after: before,
    });
    expect(buttons(msg).map((b) => b.text)).toEqual(["y. Yes", "n. No", "📺 Screen"]);
    const mid = f.api.botMessages(CHAT).length;
    f.api.userTaps(TOKEN, CHAT, msg.messageId, `scr:${s.id}`);
    const screen = await f.api.waitForMessage(CHAT, (m) => m.text?.startsWith("📺") ?? false, { after: mid });
    expect(screen.text).toContain("on-screen-now");

    await ask(f, "/link screened");
    const yes = await ask(f, "/yes");
    expect(yes.text).toBe("✅ Answered Yes → screened (claude)");
    expect(f.sessions.answers.at(-1)).toEqual({ id: s.id, promptId: p.id, keys: ["y"] });
    await ask(f, "/unlink");
  });
});
