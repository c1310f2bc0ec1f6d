import * as v from "valibot";

/** Key ids the web UI's key bar knows (ui/src/lib/keybar-keys.ts); the order is the bar's order. */
export const KEY_IDS = [
  "esc",
  "tab",
  "shift-tab",
  "ctrl",
  "alt",
  "up",
  "down",
  "left",
  "right",
  "pgup",
  "pgdn",
  "home",
  "end",
  "ctrl-c",
  "enter",
  "slash",
  "pipe",
  "tilde",
  "dash",
] as const;

export const KeybarBody = v.object({
  keys: v.pipe(
    v.array(v.picklist(KEY_IDS, `a key id (${KEY_IDS.join(", ")})`), "keys must be a list of key ids"),
    v.minLength(1, "at least one key"),
    v.check((keys) => new Set(keys).size === keys.length, "each key at most once"),
  ),
});
export type Keybar = v.InferOutput<typeof KeybarBody>;

/** The web UI's languages (ui/src/i18n); null: follow each browser's language. */
export const LOCALES = ["en", "zh-CN"] as const;

export const LocaleBody = v.object({
  locale: v.nullable(v.picklist(LOCALES, `a language (${LOCALES.join(", ")}) or null`)),
});
export type LocalePref = v.InferOutput<typeof LocaleBody>;
