import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ask, type BridgeFixture, CHAT, startBridge, TOKEN } from "./support";

// Scenarios wait for real 2-second batches, back-offs and restarts; each wait inside has its own limit.
setDefaultTimeout(30_000);
let f: BridgeFixture;
beforeAll(async () => {
  // The real batch window: output that arrives within 2 s goes out together.
  f = await startBridge({ timings: { batchMs: 2000, cooldownMs: 60_000 } });
});
afterAll(async () => {
  await f.close();
});

const relayed = (after: number) =>
  f.api
    .botMessages(CHAT)
    .slice(after)
    .filter((m) => m.html?.startsWith("<pre>") || m.method === "sendDocument");

describe("telegram output relay", () => {
  test("a linked chat gets output in 2-second batches, ANSI-free and without repeats", async () => {
    const s = await f.sessions.create("batchy");
    // The shell's first prompt, drawn late on a busy machine, would open the batch before the test's clock.
    const shell = f.sessions.sessions.get(s.id);
    await f.api.waitUntil(() => shell && Buffer.concat(shell.chunks).toString().includes("$ "));
    await ask(f, "/link batchy");
    const before = f.api.botMessages(CHAT).length;
    const started = Date.now();
    // Coloured lines every 0.3 s for ~2.7 s (never idle), each followed by a repeated line.
    await ask(
      f,
      "for i in 1 2 3 4 5 6 7 8 9; do printf '\\033[31mline-%s\\033[0m\\n' $i; printf 'same-line\\r\\n'; sleep 0.3; done",
    );
    const first = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("line-1") ?? false, { after: before });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(first.text).toMatch(/^line-1\nsame-line\nline-2\nline-3\nline-4\nline-5/);
    expect(first.text).not.toContain("line-9");
    expect(first.text).not.toContain("\x1b");
    expect(first.text).not.toContain("[31m");
    expect(first.text?.match(/same-line/g)?.length).toBe(1);
    const last = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("line-9") ?? false, { after: before });
    expect(last.text).not.toContain("same-line");
    expect(last.text).not.toContain("line-1\n");
    expect(relayed(before).length).toBe(2);

    // A later batch does not repeat what was already sent.
    const mid = f.api.botMessages(CHAT).length;
    await ask(f, "printf 'same-line\\nfresh-line\\n'");
    const second = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("fresh-line") ?? false, { after: mid });
    expect(second.text).not.toContain("same-line");
    expect(s.id).toBeTruthy();
  });

  test("output over the message limit is split; very long output comes as a .txt document", async () => {
    const before = f.api.botMessages(CHAT).length;
    await ask(f, "seq -f 'row-%05g-abcdefghijklmnopqrstuvwxyz' 1 250");
    await f.api.waitUntil(() => relayed(before).some((m) => m.text?.includes("row-00250")));
    const split = relayed(before);
    expect(split.length).toBe(3);
    for (const m of split) expect((m.text ?? "").length).toBeLessThan(4096);
    const all = split.map((m) => m.text).join("\n");
    for (const n of [1, 125, 250]) expect(all).toContain(`row-${String(n).padStart(5, "0")}-`);

    const mid = f.api.botMessages(CHAT).length;
    await ask(f, "seq -f 'big-%06g-abcdefghijklmnopqrstuvwxyz' 1 2000");
    const doc = await f.api.waitForMessage(CHAT, (m) => m.method === "sendDocument", { after: mid });
    expect(doc.document?.filename).toMatch(/^session-[0-9a-f]{8}\.txt$/);
    expect(doc.document?.content).toContain("big-000001-");
    expect(doc.document?.content).toContain("big-002000-");
    expect(doc.caption).toContain("lines of output");
  });

  test("idle and exit notifications go to the notify chat; replying to one types into its session", async () => {
    await ask(f, "/unlink");
    const s = await f.sessions.create("quiet");
    await f.sessions.input(s.id, "echo idle-marker\r");
    const idle = await f.api.waitForMessage(
      CHAT,
      (m) => (m.text?.includes("quiet (terminal) is idle") ?? false) && (m.text?.includes("idle-marker") ?? false),
    );
    expect(idle.keyboard?.[0]?.[0]?.callback_data).toBe(`scr:${s.id}`);
    // Cooldown: more idleness within it sends no second notice.
    await f.sessions.input(s.id, "echo idle-again\r");
    const ack = await ask(f, "echo via-reply", CHAT, { replyTo: idle.messageId });
    expect(ack.text).toBe(`✓ 14 bytes → ${s.id.slice(0, 8)}`);
    await f.api.waitUntil(() => f.sessions.text(s.id).includes("via-reply\r\n"));
    expect(f.api.botMessages(CHAT).filter((m) => m.text?.includes("quiet (terminal) is idle")).length).toBe(1);
    // The reply linked the chat, so the answer's output comes back.
    expect((await f.telegram.links()).find((l) => l.chatId === String(CHAT))?.sessionId).toBe(s.id);

    await f.sessions.input(s.id, "exit 3\r");
    const exit = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("exited") ?? false);
    expect(exit.text).toMatch(/^🔴 Session quiet \(terminal\) exited \(status: 3\) after \d+ s$/);
    const late = await ask(f, "anyone there?");
    expect(late.text).toBe("That session is no longer running.");
  });

  test("a chat that is not allowlisted cannot link a session", async () => {
    const s = await f.sessions.create("private");
    const api = f.api;
    const stranger = 9090;
    api.userSays(TOKEN, stranger, "/link private");
    await api.waitForMessage(stranger, (m) => m.text?.includes("not allowed") ?? false);
    expect((await f.telegram.links()).some((l) => l.chatId === String(stranger))).toBe(false);
    expect(s.id).toBeTruthy();
  });
});
