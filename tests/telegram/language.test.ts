import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { StubUser } from "../stubs/bot-api";
import { type BridgeFixture, CHAT, OTHER_CHAT, startBridge, TOKEN, useBotServer } from "./support";

setDefaultTimeout(60_000);

// A Telegram user whose app is set to Chinese (Telegram sends `language_code` with every update).
const chineseApp = { first_name: "李雷", language_code: "zh-hans" } as Partial<StubUser>;
const englishApp = { first_name: "Tester", language_code: "en" } as Partial<StubUser>;

describe("Telegram in the OpenDray user's language (the real server)", () => {
  const bot = useBotServer();
  const ask = bot.ask;

  test("a user who chose 简体中文 in the web UI gets the bot's answers and notices in Chinese; names and commands stay", async () => {
    expect((await bot.server.api("/api/ui/locale", { method: "PUT", json: { locale: "zh-CN" } })).status).toBe(200);

    // An English Telegram app does not override what the user chose in OpenDray.
    const help = await ask("/help", CHAT, englishApp);
    expect(help.text).toContain("OpenDray 机器人");
    expect(help.text).toContain("/tail <id> [n] — 输出的最后 n 行（默认 40，最多 200）");
    expect(help.text).not.toContain("running sessions");

    const created = await bot.server.api("/api/sessions", {
      method: "POST",
      json: { cwd: "/tmp", sessionType: "terminal", name: "deploy-east" },
    });
    expect(created.status).toBe(201);
    const status = await ask("/status");
    expect(status.text).toStartWith("会话\n");
    expect(status.text).toContain("deploy-east (terminal)");

    expect((await ask("/stop deploy-east")).text).toBe(`✅ 已停止会话 ${String(created.body.id).slice(0, 8)}。`);
    const notice = await bot.api.waitForMessage(
      CHAT,
      (m) => m.text?.includes("会话 deploy-east (terminal) 运行") ?? false,
      {
        timeoutMs: 20_000,
      },
    );
    expect(notice.text).toMatch(/^(🟢|🔴|⚪) 会话 deploy-east \(terminal\) 运行 \d+ 秒后退出（状态：.+）$/);
  });

  test("a stranger's chat is refused in the stranger's language, not the owner's", async () => {
    expect((await ask("/status", OTHER_CHAT, englishApp)).text).toContain(
      "this chat is not allowed to control OpenDray",
    );
    expect((await ask("/status", OTHER_CHAT, chineseApp)).text).toContain("抱歉，此聊天无权控制 OpenDray。");
  });
});

describe("Telegram's app language across a server restart (the real server)", () => {
  const bot = useBotServer();
  const ask = (text: string, from?: Partial<StubUser>) => bot.ask(text, CHAT, from);

  test("a chat whose Telegram app is Chinese still gets Chinese answers and notices after the server restarts", async () => {
    expect((await ask("/status", chineseApp)).text).toBe("没有运行中的会话。");
    // the bot confirmed the update: the restarted server does not get it (and its language) again
    await bot.api.waitUntil(() => bot.api.pending(TOKEN) === 0);

    await bot.server.kill9();
    await bot.server.restart();
    // an update without a language_code (and a notice, which answers no update) follows the last one seen
    expect((await ask("/status")).text).toBe("没有运行中的会话。");
    const created = await bot.server.api("/api/sessions", {
      method: "POST",
      json: { cwd: "/tmp", sessionType: "terminal", name: "after-restart" },
    });
    expect(created.status).toBe(201);
    expect((await bot.server.api(`/api/sessions/${created.body.id}/stop`, { method: "POST" })).status).toBe(200);
    const notice = await bot.api.waitForMessage(CHAT, (m) => m.text?.includes("after-restart (terminal)") ?? false, {
      timeoutMs: 20_000,
    });
    expect(notice.text).toMatch(/^(🟢|🔴|⚪) 会话 after-restart \(terminal\) 运行 \d+ 秒后退出（状态：.+）$/);

    // a later English app is followed, and kept too
    expect((await ask("/status", englishApp)).text).toBe("No running sessions.");
    await bot.api.waitUntil(() => bot.api.pending(TOKEN) === 0);
    await bot.server.kill9();
    await bot.server.restart();
    expect((await ask("/status")).text).toBe("No running sessions.");
  });
});

describe("Telegram without a language chosen in the web UI", () => {
  let f: BridgeFixture;
  beforeAll(async () => {
    f = await startBridge({ timings: { cooldownMs: 0 } });
  });
  afterAll(async () => {
    await f.close();
  });

  const ask = async (text: string, from: Partial<StubUser>) => {
    const { messageId } = f.api.userSays(TOKEN, CHAT, text, { from });
    return f.api.waitForMessage(CHAT, (m) => m.replyTo === messageId);
  };

  test("the bot follows the Telegram app's language, for answers and for the notices after them", async () => {
    expect((await ask("/status", englishApp)).text).toBe("No running sessions.");
    expect((await ask("/status", chineseApp)).text).toBe("没有运行中的会话。");

    // A question from the agent: its text and options stay as the agent wrote them, the bot's words are Chinese.
    const s = await f.sessions.create("重构");
    const before = f.api.botMessages(CHAT).length;
    f.sessions.openPrompt(s.id, {
      agent: "claude",
      kind: "permission",
      question: "Do you want to create notes.txt?",
      options: [
        { key: "1", label: "Yes" },
        { key: "2", label: "No" },
      ],
      multi: false,
    });
    const prompt = await f.api.waitForMessage(CHAT, (m) => m.text?.includes("notes.txt") ?? false, { after: before });
    expect(prompt.text).toBe("❓ 重构 (terminal) 提问：\n\nDo you want to create notes.txt?");
    expect((prompt.keyboard ?? []).flat().map((b) => b.text)).toEqual(["1. Yes", "2. No", "📺 屏幕"]);
    const tap = f.api.userTaps(TOKEN, CHAT, prompt.messageId, "o:1");
    const answer = await f.api.waitUntil(() => f.api.callbackAnswers.find((a) => a.id === tap.callbackId));
    expect(answer.text).toBe("No");
    const edited = await f.api.waitUntil(() =>
      f.api.botMessages(CHAT).find((m) => m.messageId === prompt.messageId && m.edits > 0),
    );
    expect(edited.text).toEndWith("✅ 已选择： No");
  });

  test("an English choice in the web UI wins over a Chinese Telegram app", async () => {
    await f.db.store.sql`
      INSERT INTO ui_prefs (name, value) VALUES ('locale', ${f.db.store.sql.json({ locale: "en" })})
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`;
    try {
      expect((await ask("/status", chineseApp)).text).toStartWith("Sessions\n");
    } finally {
      await f.db.store.sql`DELETE FROM ui_prefs WHERE name = 'locale'`;
    }
  });
});
