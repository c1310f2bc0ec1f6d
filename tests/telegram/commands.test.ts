import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { ask, type BridgeFixture, CHAT, OTHER_CHAT, startBridge, TOKEN } from "./support";

// Scenarios wait for real 2-second batches, back-offs and restarts; each wait inside has its own limit.
setDefaultTimeout(30_000);
let f: BridgeFixture;
beforeAll(async () => {
  f = await startBridge();
});
afterAll(async () => {
  await f.close();
});

const waitOutput = (id: string, needle: string) =>
  f.api.waitUntil(
    () => f.sessions.text(id).includes(needle),
    10_000,
    () => `no "${needle}" in: ${f.sessions.text(id)}`,
  );

describe("telegram commands", () => {
  test("/whoami tells any chat its id; other commands from unknown chats are refused politely", async () => {
    const who = await ask(f, "/whoami", OTHER_CHAT);
    expect(who.text).toContain(String(OTHER_CHAT));
    expect(who.text).toContain("Not on the allowlist");
    const refused = await ask(f, "/status", OTHER_CHAT);
    expect(refused.text).toContain("not allowed");
    expect(refused.text).toContain(String(OTHER_CHAT));
    const mine = await ask(f, "/whoami");
    expect(mine.text).toContain("Allowed");
    const chats = await f.telegram.recentChats();
    expect(chats.find((c) => c.chatId === String(OTHER_CHAT))?.allowed).toBe(false);
  });

  test("/help and /start list the commands; an unknown command says so", async () => {
    const help = await ask(f, "/help");
    for (const c of [
      "/status",
      "/tail",
      "/screen",
      "/link",
      "/unlink",
      "/links",
      "/send",
      "/stop",
      "/cc",
      "/yes",
      "/whoami",
    ])
      expect(help.text).toContain(c);
    expect((await ask(f, "/start")).text).toContain("/status");
    const unknown = await ask(f, "/frobnicate now");
    expect(unknown.text).toBe("Unknown command: /frobnicate\nTry /help.");
  });

  test("/status numbers running sessions and references resolve by number, name, type and id prefix", async () => {
    expect((await ask(f, "/status")).text).toBe("No running sessions.");
    const a = await f.sessions.create("alpha");
    const b = await f.sessions.create("beta", "claude");
    const status = await ask(f, "/status");
    expect(status.text).toContain("1 · alpha (terminal)");
    expect(status.text).toContain("2 · beta (claude)");
    expect(status.text).toContain(a.id.slice(0, 8));

    await f.sessions.input(a.id, "echo from-alpha-$((40+2))\r");
    await f.sessions.input(b.id, "echo from-beta-$((40+3))\r");
    await waitOutput(a.id, "from-alpha-42");
    await waitOutput(b.id, "from-beta-43");
    for (const [ref, expected] of [
      ["1", "from-alpha-42"],
      ["alpha", "from-alpha-42"],
      ["BETA", "from-beta-43"],
      ["claude", "from-beta-43"],
      [b.id.slice(0, 6), "from-beta-43"],
      [a.id, "from-alpha-42"],
    ] as const) {
      const tail = await ask(f, `/tail ${ref} 5`);
      expect(tail.text).toContain(expected);
      expect(tail.text).not.toContain("\x1b");
    }
    expect((await ask(f, "/tail nosuch")).text).toContain("No session matches");
    expect((await ask(f, "/tail")).text).toContain("Usage: /tail");
  });

  test("/send types text and Enter; /screen shows the terminal; /stop ends the session", async () => {
    const s = await f.sessions.create("gamma");
    await ask(f, "/status");
    const sent = await ask(f, "/send gamma echo sent-$((6*7))");
    expect(sent.text).toBe("➡ Sent 19 bytes to gamma (terminal)");
    await waitOutput(s.id, "sent-42");
    const screen = await ask(f, "/screen gamma");
    expect(screen.text).toContain("sent-42");
    expect(screen.text?.startsWith("📺")).toBe(true);
    const stopped = await ask(f, "/stop gamma");
    expect(stopped.text).toBe(`✅ Stopped session ${s.id.slice(0, 8)}.`);
    expect((await f.sessions.get(s.id)).status).toBe("exited");
  });

  test("/link relays plain text both ways; keys and /yes go to the linked session; /links and /unlink", async () => {
    const s = await f.sessions.create("delta");
    expect((await ask(f, "hello there")).text).toContain("Not linked");
    expect((await ask(f, "/cc")).text).toContain("not linked");
    const linked = await ask(f, "/link delta");
    expect(linked.text).toContain("Linked this chat → session delta (terminal)");
    const before = f.api.botMessages(CHAT).length;
    const ack = await ask(f, "echo relay-$((100+1))");
    expect(ack.text).toBe(`✓ 21 bytes → ${s.id.slice(0, 8)}`);
    const out = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("relay-101") ?? false, { after: before });
    expect(out.text).not.toContain("echo relay"); // the terminal's echo of the typed line is dropped
    expect(out.text).not.toContain("\x1b");

    // "sleeping" shows only once the command runs (its echo reads "sl%s"), so Ctrl+C meets the sleep.
    await f.sessions.input(s.id, "printf 'sl%s\\n' eeping; sleep 30\r");
    await f.api.waitUntil(() => /[\r\n]sleeping\r\n/.test(f.sessions.text(s.id)), 10_000);
    await ask(f, "/cc");
    await f.sessions.input(s.id, "echo after-ctrl-c\r");
    await waitOutput(s.id, "after-ctrl-c\r\n");
    const typed = await ask(f, "/no");
    expect(typed.text).toBe("⌨ no → delta (terminal)");
    await waitOutput(s.id, "no: command not found");
    await ask(f, "/tab");
    await ask(f, "/enter");

    const links = await ask(f, "/links");
    expect(links.text).toContain(`${CHAT} → delta`);
    expect((await f.telegram.links()).map((l) => l.sessionId)).toEqual([s.id]);
    expect((await ask(f, "/unlink")).text).toContain("Unlinked");
    expect((await ask(f, "/links")).text).toBe("No links.");
    expect((await ask(f, "/unlink")).text).toBe("This chat was not linked.");
  });

  test("plain text in a linked chat is typed once and its update confirmed", async () => {
    const s = await f.sessions.create("epsilon");
    await ask(f, "/link epsilon");
    const { updateId } = f.api.userSays(TOKEN, CHAT, "echo once-only");
    await f.api.waitUntil(() => f.api.confirmed(TOKEN) >= updateId);
    await waitOutput(s.id, "once-only\r\n");
    expect(f.sessions.text(s.id).match(/echo once-only/g)?.length).toBe(1);
    await ask(f, "/unlink");
  });
});
