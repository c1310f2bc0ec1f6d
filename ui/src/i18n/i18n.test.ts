import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { since } from "../lib/format";
import { detectLocale, fill, languageTag, plural, setLocale, t } from ".";
import { zhCN } from "./zh-CN";

const UI_SRC = join(import.meta.dir, "..");
// t("…"), msg("…") and both forms of plural(n, "…", "…"), in the JSON string syntax Biome writes.
const STR = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`;
const CALL = new RegExp(String.raw`\b(?:t|msg)\(\s*(${STR})|\bplural\(\s*[^,]+,\s*(${STR})\s*,\s*(${STR})`, "g");
const unquote = (lit: string): string =>
  JSON.parse(lit.startsWith("'") ? `"${lit.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : lit);

/** Every English text the UI passes to t(), msg() or plural(), with the first file using it. */
function uiKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") && !p.startsWith(join(UI_SRC, "i18n")))
        for (const m of readFileSync(p, "utf8").matchAll(CALL))
          for (const lit of m.slice(1)) if (lit && !keys.has(unquote(lit))) keys.set(unquote(lit), relative(UI_SRC, p));
    }
  };
  walk(UI_SRC);
  return keys;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("languages", () => {
  test("every text the UI shows has a Simplified Chinese translation", () => {
    const keys = uiKeys();
    expect(keys.size).toBeGreaterThan(300);
    const missing = [...keys].filter(([k]) => !(k in zhCN)).map(([k, file]) => `${file}: ${JSON.stringify(k)}`);
    expect(missing).toEqual([]);
  });

  test("a translation keeps the {placeholders} of its English text", () => {
    const wrong = Object.entries(zhCN).filter(([en, zh]) => placeholders(en).join() !== placeholders(zh).join());
    expect(wrong).toEqual([]);
  });

  test("a Chinese browser gets Chinese, anything else English", () => {
    expect(detectLocale(["zh-CN", "en"])).toBe("zh-CN");
    expect(detectLocale(["zh"])).toBe("zh-CN");
    expect(detectLocale(["de-DE", "en-GB", "zh-CN"])).toBe("en");
    expect(detectLocale(["fr-FR"])).toBe("en");
    expect(detectLocale([])).toBe("en");
  });

  test("push notifications are told the browser language the page follows", () => {
    expect(languageTag(["zh-CN", "en"])).toBe("zh-CN");
    expect(languageTag(["de-DE", "zh-TW"])).toBe("zh-TW");
    expect(languageTag(["fr-FR"])).toBe("fr-FR");
    expect(languageTag([])).toBeUndefined();
    expect(languageTag(["not a tag"])).toBeUndefined();
  });

  test("English shows the text itself with its values filled in, one and many", async () => {
    await setLocale("en");
    expect(t("Stop")).toBe("Stop");
    expect(plural(1, "{n} file", "{n} files")).toBe("1 file");
    expect(plural(3, "{n} file", "{n} files")).toBe("3 files");
    expect(fill("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(since("2026-01-01T11:57:00Z", now)).toBe("3m ago");
    expect(since("2026-01-01T11:59:50Z", now)).toBe("just now");
  });

  test("Chinese shows the translation, and English where a text has none", async () => {
    await setLocale("zh-CN");
    try {
      expect(t("Stop")).toBe("停止");
      expect(plural(3, "{n} file", "{n} files")).toBe("3 个文件");
      expect(since("2026-01-01T10:00:00Z", Date.parse("2026-01-01T12:00:00Z"))).toBe("2 小时前");
      expect(t("A text nobody translated")).toBe("A text nobody translated");
    } finally {
      await setLocale("en");
    }
  });
});
