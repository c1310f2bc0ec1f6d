import { createSignal } from "solid-js";

/**
 * English text is the key: `t("Stop")`, `t("{n}m ago", { n })`. Other languages map English → their text
 * (zh-CN.ts, loaded only when chosen); a missing entry shows the English.
 */
export type Locale = "en" | "zh-CN";
export const LOCALES: { id: Locale; name: string }[] = [
  { id: "en", name: "English" },
  { id: "zh-CN", name: "简体中文" },
];

const STORE = "opendray.locale";
type Vars = Record<string, string | number>;

const [locale, setCurrent] = createSignal<Locale>("en");
const [dict, setDict] = createSignal<Record<string, string>>({});

export { locale };

/** The first of the browser's languages we speak; any Chinese reads the Simplified text. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith("zh")) return "zh-CN";
    if (l.startsWith("en")) return "en";
  }
  return "en";
}

const browserLanguages = (): readonly string[] =>
  navigator.languages?.length ? navigator.languages : [navigator.language];

/**
 * The tag of the language the UI follows without a choice (the first of the browser's we speak, else its
 * first), for the server's texts to this browser (push notifications); undefined when it is not a language tag.
 */
export function languageTag(languages: readonly string[]): string | undefined {
  const tag = languages.find((l) => /^(zh|en)/i.test(l)) ?? languages[0];
  return tag && tag.length <= 35 && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : undefined;
}

export const browserLanguage = () => languageTag(browserLanguages());

/** The language the user chose in Settings, or null to follow the browser. */
export function chosenLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORE);
    return v === "en" || v === "zh-CN" ? v : null;
  } catch {
    return null;
  }
}

export async function setLocale(next: Locale) {
  setDict(next === "zh-CN" ? (await import("./zh-CN")).zhCN : {});
  setCurrent(next);
  if (typeof document !== "undefined") document.documentElement.lang = next;
}

/** Stores the choice (null: follow the browser again) and switches without a reload. */
export function chooseLocale(choice: Locale | null) {
  try {
    if (choice) localStorage.setItem(STORE, choice);
    else localStorage.removeItem(STORE);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  return setLocale(choice ?? detectLocale(browserLanguages()));
}

export const initLocale = () => setLocale(chosenLocale() ?? detectLocale(browserLanguages()));

/** A plugin manifest's displayName or description in the current language (its `i18n` block), else as written. */
export function pluginText(
  manifest: {
    displayName?: string;
    description?: string;
    i18n?: Record<string, { displayName?: string; description?: string }>;
  },
  field: "displayName" | "description",
): string | undefined {
  return manifest.i18n?.[locale()]?.[field] ?? manifest[field];
}

export function fill(text: string, vars?: Vars): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

export function t(key: string, vars?: Vars): string {
  return fill(dict()[key] ?? key, vars);
}

/** English's two forms; the dictionary maps each (Chinese has one form, so both map alike). */
export function plural(n: number, one: string, other: string, vars?: Vars): string {
  return t(n === 1 ? one : other, { n, ...vars });
}

export const timeOfDay = (at: Date) => at.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
export const dateTime = (at: Date) => at.toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });

/** Marks English text that a table holds and `t(…)` translates where it is shown (so the key check finds it). */
export const msg = (text: string) => text;
