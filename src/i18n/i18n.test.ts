import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { accountLimitNotice, duration, english, localeOfTag, msg, translator } from ".";
import { zhCN } from "./zh-CN";

const SRC = join(import.meta.dir, "..");
// t("…"), msg("…") and both forms of plural(n, "…", "…"), in the JSON string syntax Biome writes.
const STR = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`;
const CALL = new RegExp(String.raw`\b(?:t|msg)\(\s*(${STR})|\bplural\(\s*[^,]+,\s*(${STR})\s*,\s*(${STR})`, "g");
// A key the check cannot read: `tr.t(someVariable)` or a template literal.
const DYNAMIC = /\.t\(\s*[^"'\s]|\.plural\([^,]+,\s*[^"'\s]/g;
const unquote = (lit: string): string =>
  JSON.parse(lit.startsWith("'") ? `"${lit.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : lit);

/** Every English text the server passes to t(), msg() or plural(), with the first file using it. */
function serverTexts(): { keys: Map<string, string>; dynamic: string[] } {
  const keys = new Map<string, string>();
  const dynamic: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") && p !== join(import.meta.dir, "zh-CN.ts")) {
        const code = readFileSync(p, "utf8");
        for (const m of code.matchAll(CALL))
          for (const lit of m.slice(1)) if (lit && !keys.has(unquote(lit))) keys.set(unquote(lit), relative(SRC, p));
        for (const m of code.matchAll(DYNAMIC)) dynamic.push(`${relative(SRC, p)}: ${m[0]}`);
      }
    }
  };
  walk(SRC);
  return { keys, dynamic };
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<\/?\w+[^>]*>|&\w+;/g)].map((m) => m[0]).sort();
const zh = translator("zh-CN");

describe("the server's languages", () => {
  test("every text the server sends a person has a Simplified Chinese translation", () => {
    const { keys } = serverTexts();
    expect(keys.size).toBeGreaterThan(60);
    const missing = [...keys].filter(([k]) => !(k in zhCN)).map(([k, file]) => `${file}: ${JSON.stringify(k)}`);
    expect(missing).toEqual([]);
  });

  test("texts are looked up by their literal English, so the check above sees them all", () => {
    expect(serverTexts().dynamic).toEqual([]);
  });

  test("a translation keeps the {placeholders}, HTML tags and entities of its English text", () => {
    const wrong = Object.entries(zhCN).filter(
      ([en, zh]) => placeholders(en).join() !== placeholders(zh).join() || tags(en).join() !== tags(zh).join(),
    );
    expect(wrong).toEqual([]);
  });

  test("the Chinese table holds no text the server no longer sends", () => {
    const { keys } = serverTexts();
    expect(Object.keys(zhCN).filter((k) => !keys.has(k))).toEqual([]);
  });

  test("a Chinese Telegram or browser language reads Chinese; other languages have no say", () => {
    expect(localeOfTag("zh-hans")).toBe("zh-CN");
    expect(localeOfTag("zh")).toBe("zh-CN");
    expect(localeOfTag("en")).toBe("en");
    expect(localeOfTag("de")).toBeNull();
    expect(localeOfTag(undefined)).toBeNull();
  });

  test("English shows the text itself with its values filled in, one and many", () => {
    expect(english.t("{name} is idle", { name: "deploy" })).toBe("deploy is idle");
    expect(english.plural(1, "{label} — last line", "{label} — last {n} lines", { label: "x" })).toBe("x — last line");
    expect(duration(english, 83_400)).toBe("1 min 23 s");
    expect(msg("A text nobody translated")).toBe("A text nobody translated");
  });

  test("Chinese shows the translation with the values (names, numbers) as they are", () => {
    expect(zh.t("{name} is idle", { name: "deploy" })).toBe("deploy 已空闲");
    expect(duration(zh, 83_400)).toBe("1 分 23 秒");
    expect(zh.t("A text nobody translated")).toBe("A text nobody translated");
  });

  test("an account limit reads in the user's language, the account names untouched", () => {
    const limit = {
      from: "work",
      to: null,
      resetsAt: "2026-12-01T14:48:00Z",
      message: "",
      suggested: "personal",
    };
    expect(accountLimitNotice(english, limit)).toBe(
      "work hit its usage limit; work resets 14:48 UTC. Switch to personal or wait.",
    );
    expect(accountLimitNotice(zh, limit)).toBe(
      "work 已达到用量上限；work 将于 14:48 UTC 重置。请切换到 personal 或等待。",
    );
  });
});
