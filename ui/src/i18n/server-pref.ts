import { request } from "../lib/api";
import { chooseLocale, chosenLocale, type Locale } from ".";

/** A language chosen on another device (kept on the server) replaces this browser's. */
export async function loadServerLocale() {
  const { locale } = await request<{ locale: Locale | null }>("GET", "/api/ui/locale");
  if (locale && locale !== chosenLocale()) await chooseLocale(locale);
}

/** null: every device follows its own browser's language again. */
export const saveServerLocale = (locale: Locale | null) => request("PUT", "/api/ui/locale", { locale });
