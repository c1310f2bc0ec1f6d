import { describe, expect, test } from "bun:test";
import { chatLanguages, type KeptLanguages } from "./locale";

/** What telegram_chat_languages would hold, and how often it was written. */
function keptTable(): KeptLanguages & { writes: number; rows: Map<string, string> } {
  const rows = new Map<string, string>();
  return {
    rows,
    writes: 0,
    async chatLanguage(chatId) {
      return rows.get(chatId) ?? null;
    },
    async rememberChatLanguage(chatId, code) {
      this.writes++;
      rows.set(chatId, code);
    },
  };
}

const languages = (kept?: KeptLanguages) =>
  chatLanguages({ stored: async () => null, allowedChats: () => ["1"], kept });

describe("the Telegram app language a chat is answered in", () => {
  test("is written once per change, not once per update", async () => {
    const kept = keptTable();
    const languageOf = languages(kept);
    for (let i = 0; i < 5; i++) expect((await languageOf("1", "zh-hans")).locale).toBe("zh-CN");
    expect(kept.writes).toBe(1);
    expect((await languageOf("1", "en")).locale).toBe("en");
    expect((await languageOf("1")).locale).toBe("en");
    expect(kept.writes).toBe(2);
  });

  test("is read back by a restarted server for a chat whose update carries no language", async () => {
    const kept = keptTable();
    await languages(kept)("1", "zh-hans");
    const restarted = languages(kept);
    expect((await restarted("1")).locale).toBe("zh-CN");
    expect((await restarted("2")).locale).toBe("en");
  });

  test("is not kept for a stranger's chat, which is answered in its update's language", async () => {
    const kept = keptTable();
    const languageOf = languages(kept);
    expect((await languageOf("9", "zh-hans")).locale).toBe("zh-CN");
    expect(kept.rows.has("9")).toBe(false);
    expect(kept.writes).toBe(0);
  });

  test("carries on from memory while the database is down", async () => {
    const down: KeptLanguages = {
      chatLanguage: () => Promise.reject(new Error("connect ECONNREFUSED")),
      rememberChatLanguage: () => Promise.reject(new Error("connect ECONNREFUSED")),
    };
    const languageOf = languages(down);
    expect((await languageOf("1")).locale).toBe("en");
    expect((await languageOf("1", "zh-hans")).locale).toBe("zh-CN");
    expect((await languageOf("1")).locale).toBe("zh-CN");
  });
});
