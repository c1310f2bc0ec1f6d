import type { Sql } from "postgres";
import { zhCN } from "./zh-CN";

/**
 * What the server itself writes to a person (Web Push notifications, Telegram messages), in their
 * language. As in the web UI (ui/src/i18n), the English text is the key: `tr.t` takes the English
 * literal with `{name}` placeholders and their values; zh-CN.ts maps English → 简体中文, and a missing
 * entry shows the English. Agent output, session names and other user data only go in as values.
 */
export type Locale = "en" | "zh-CN";
export const LOCALES: readonly Locale[] = ["en", "zh-CN"];

type Vars = Record<string, string | number>;

export interface Translator {
  locale: Locale;
  t(text: string, vars?: Vars): string;
  /** English's two forms; the table maps each (Chinese has one form, so both map alike). */
  plural(n: number, one: string, other: string, vars?: Vars): string;
}

export function fill(text: string, vars?: Vars): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

const tables: Record<Locale, Record<string, string>> = { en: {}, "zh-CN": zhCN };

function make(locale: Locale): Translator {
  const table = tables[locale];
  const t = (text: string, vars?: Vars) => fill(table[text] ?? text, vars);
  return { locale, t, plural: (n, one, other, vars) => t(n === 1 ? one : other, { n, ...vars }) };
}

const translators: Record<Locale, Translator> = { en: make("en"), "zh-CN": make("zh-CN") };

export const translator = (locale: Locale): Translator => translators[locale];
export const english = translators.en;

/** Marks English text that a table holds and `t(…)` translates where it is shown (so the key check finds it). */
export const msg = (text: string) => text;

/** A client's language tag (Telegram's `language_code`, a browser's): any Chinese reads the Simplified text. */
export function localeOfTag(tag: string | null | undefined): Locale | null {
  const l = tag?.trim().toLowerCase();
  if (!l) return null;
  if (l.startsWith("zh")) return "zh-CN";
  if (l.startsWith("en")) return "en";
  return null;
}

/** The language the user chose in the web UI's Settings (`PUT /api/ui/locale`), or null (each browser's own). */
export async function storedLocale(sql: Sql): Promise<Locale | null> {
  const [row] = await sql<{ value: { locale?: unknown } }[]>`SELECT value FROM ui_prefs WHERE name = 'locale'`;
  const v = row?.value.locale;
  return LOCALES.includes(v as Locale) ? (v as Locale) : null;
}

/** The language a notice to one client is in: the stored choice, else the client's language, else English. */
export const noticeLocale = (stored: Locale | null, clientTag?: string | null): Locale =>
  stored ?? localeOfTag(clientTag) ?? "en";

export { accountLimitNotice, duration } from "./notices";
