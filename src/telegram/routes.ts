import { Elysia } from "elysia";
import * as v from "valibot";
import { type AuthService, requireAuth } from "../auth";
import { int64Id, text } from "../shared/schema";
import type { Telegram } from "./runtime";

const chatId = int64Id("a chat id such as 123456789 or -1001234567890");

export const TestBody = v.optional(
  v.strictObject({ text: v.optional(v.pipe(text(), v.maxLength(4000, "at most 4000 characters"))) }),
  {},
);
export const UnlinkBody = v.strictObject({ chatId });
export const SettingsBody = v.strictObject({
  botToken: v.optional(
    v.nullable(
      v.pipe(
        text(),
        v.trim(),
        v.regex(/^$|^\d+:[A-Za-z0-9_-]{20,}$/, "a bot token from @BotFather (123456:ABC…), or empty to clear"),
      ),
    ),
  ),
  allowedChatIds: v.optional(v.pipe(v.array(chatId), v.maxLength(100, "at most 100 chats"))),
});

/** Settings API of the bridge (status, test message, links, token and allowlist), behind login. */
export function createTelegramRoutes(deps: { telegram: Telegram; auth: AuthService }) {
  const { telegram } = deps;
  return new Elysia({ prefix: "/api/telegram" })
    .use(requireAuth(deps.auth))
    .get("/status", () => telegram.status())
    .post("/test", ({ body }) => telegram.sendTest(body?.text), { body: TestBody })
    .get("/links", () => telegram.links())
    .post("/unlink", ({ body }) => telegram.unlink(body.chatId), { body: UnlinkBody })
    .get("/recent-chats", () => telegram.recentChats())
    .put("/settings", ({ body }) => telegram.configure(body), { body: SettingsBody });
}
