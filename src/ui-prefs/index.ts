import { Elysia } from "elysia";
import type { Sql } from "postgres";
import { type AuthService, requireAuth } from "../auth";
import { type Keybar, KeybarBody, LocaleBody, type LocalePref } from "./model";

/** The web UI's preferences stored on the server, so every device the user opens gets them. */
export function createUiPrefsRoutes(deps: { sql: Sql; auth: AuthService }) {
  const { sql } = deps;
  return new Elysia({ prefix: "/api/ui" })
    .use(requireAuth(deps.auth))
    .get("/keybar", async () => {
      const [row] = await sql<{ value: Keybar }[]>`SELECT value FROM ui_prefs WHERE name = 'keybar'`;
      // null keys: the user never changed the bar, the UI shows its default.
      return { keys: row?.value.keys ?? null };
    })
    .put(
      "/keybar",
      async ({ body }) => {
        const value = { keys: body.keys };
        await sql`
          INSERT INTO ui_prefs (name, value) VALUES ('keybar', ${sql.json(value)})
          ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
        return value;
      },
      { body: KeybarBody },
    )
    .get("/locale", async () => {
      const [row] = await sql<{ value: LocalePref }[]>`SELECT value FROM ui_prefs WHERE name = 'locale'`;
      return { locale: row?.value.locale ?? null };
    })
    .put(
      "/locale",
      async ({ body }) => {
        const value = { locale: body.locale };
        await sql`
          INSERT INTO ui_prefs (name, value) VALUES ('locale', ${sql.json(value)})
          ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
        return value;
      },
      { body: LocaleBody },
    );
}
