import { createSignal, For } from "solid-js";
import { chooseLocale, chosenLocale, LOCALES, type Locale, t } from "../i18n";
import { saveServerLocale } from "../i18n/server-pref";

/** The UI language: the browser's by default, or one chosen here (kept on this device and the server). */
export function LanguagePicker() {
  const [choice, setChoice] = createSignal<Locale | "auto">(chosenLocale() ?? "auto");
  const change = (value: string) => {
    const next = value === "en" || value === "zh-CN" ? value : null;
    setChoice(next ?? "auto");
    void chooseLocale(next);
    saveServerLocale(next).catch(() => {});
  };
  return (
    <section class="card">
      <h2>{t("Language")}</h2>
      <select
        name="language"
        aria-label={t("Language")}
        value={choice()}
        onChange={(e) => change(e.currentTarget.value)}
      >
        <option value="auto">{t("Browser default")}</option>
        <For each={LOCALES}>{(l) => <option value={l.id}>{l.name}</option>}</For>
      </select>
    </section>
  );
}
