import { describe, expect, test } from "bun:test";
import { CHAT, OTHER_CHAT, TOKEN, useBotServer } from "./support";

// The real server (embedded Postgres, PTY host, core session service) with its bot pointed at the stub.
const bot = useBotServer();
const ask = (text: string, chat = CHAT) => bot.ask(text, chat);

async function shell(name: string): Promise<string> {
  const r = await bot.server.api("/api/sessions", {
    method: "POST",
    json: { cwd: "/tmp", sessionType: "terminal", name },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const output = async (id: string) => {
  const r = await bot.server.api(`/api/sessions/${id}/buffer`);
  return typeof r.body === "string" ? r.body : JSON.stringify(r.body);
};

describe("telegram bridge in the server", () => {
  test("the bot answers, refuses unknown chats politely, and the status API never shows the token", async () => {
    expect((await ask("/whoami", OTHER_CHAT)).text).toContain(String(OTHER_CHAT));
    expect((await ask("/status", OTHER_CHAT)).text).toContain("not allowed");
    const status = await bot.server.api("/api/telegram/status");
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      tokenSet: true,
      tokenSource: "env",
      connected: true,
      allowedChats: [String(CHAT)],
    });
    expect(JSON.stringify(status.body)).not.toContain("TEST_TOKEN");
    expect(bot.server.logs()).not.toContain("TEST_TOKEN");
    const put = await bot.server.api("/api/telegram/settings", { method: "PUT", json: { botToken: null } });
    expect(put.status).toBe(409);
  });

  test("link then chat with a real shell session; commands work on it; a restart loses and repeats nothing", async () => {
    const id = await shell("e2e-shell");
    const status = await ask("/status");
    expect(status.text).toContain("e2e-shell (terminal)");
    expect((await ask("/link e2e-shell")).text).toContain("Linked this chat");
    const before = bot.api.botMessages(CHAT).length;
    const ack = await ask("echo tg-$((20+22))");
    expect(ack.text).toBe(`✓ 18 bytes → ${id.slice(0, 8)}`);
    const out = await bot.api.waitForMessage(CHAT, (m) => m.text?.includes("tg-42") ?? false, {
      after: before,
      timeoutMs: 20_000,
    });
    expect(out.text).not.toContain("\x1b");
    expect((await ask("/tail 1 5")).text).toContain("tg-42");
    expect((await ask("/screen")).text).toContain("tg-42");
    expect((await ask("/send e2e-shell echo sent-$((1+1))")).text).toContain("Sent");

    // Killed mid-conversation: a message arrives while the server is down.
    await bot.server.kill9();
    const down = bot.api.userSays(TOKEN, CHAT, "echo while-down-$((3*3))");
    await bot.server.restart();
    await bot.api.waitForMessage(CHAT, (m) => m.replyTo === down.messageId, { timeoutMs: 30_000 });
    await bot.api.waitForMessage(CHAT, (m) => m.text?.includes("while-down-9") ?? false, { timeoutMs: 20_000 });
    const text = await output(id);
    expect(text.match(/echo tg-\$\(\(20\+22\)\)/g)?.length).toBe(1);
    expect(text.match(/echo while-down-\$\(\(3\*3\)\)/g)?.length).toBe(1);
    const acks = bot.api.botMessages(CHAT).filter((m) => m.text?.startsWith("✓"));
    expect(acks.length).toBe(2);

    expect((await ask("/help")).text).toContain("/status");
    expect((await ask("/links")).text).toContain(`${CHAT} → e2e-shell`);
    await ask("printf 'sl%s\\n' eeping; sleep 30");
    await bot.api.waitForMessage(CHAT, (m) => m.text?.split("\n").includes("sleeping") ?? false, { timeoutMs: 20_000 });
    expect((await ask("/cc")).text).toBe("⌨ Ctrl+C → e2e-shell (terminal)");
    expect((await ask("/no")).text).toBe("⌨ no → e2e-shell (terminal)");
    expect((await ask("/tab")).text).toBe("⌨ Tab → e2e-shell (terminal)");
    expect((await ask("/cc")).text).toContain("Ctrl+C");
    expect((await ask("/enter")).text).toBe("⌨ Enter → e2e-shell (terminal)");
    expect((await ask("/unlink")).text).toContain("Unlinked");
    expect((await ask("/cd")).text).toContain("not linked");
    expect((await ask("/nonsense")).text).toContain("Unknown command: /nonsense");
    const ended = await ask("/stop e2e-shell");
    expect(ended.text).toContain("Stopped session");
    await bot.api.waitForMessage(CHAT, (m) => m.text?.includes("e2e-shell (terminal) exited") ?? false, {
      timeoutMs: 20_000,
    });
    const text2 = await output(id);
    expect(text2).toContain("no: command not found");
    expect(text2).toContain("^C");
  });
});
