export { sessionsForTelegram } from "./adapter";
export type { Prompt, TelegramDeps, TelegramSessions, TelegramTimings } from "./deps";
export { createTelegramRoutes } from "./routes";
export { startTelegram, type Telegram, type TelegramSettingsPatch, type TelegramStatus } from "./runtime";
