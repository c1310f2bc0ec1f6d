import { type Config, saveConfigValues } from "../config";
import { conflict } from "../errors";

export interface TelegramSettingsPatch {
  /** null or "" clears the token (the bot stops). */
  botToken?: string | null;
  allowedChatIds?: string[];
}

export type TokenSource = "env" | "file" | "unset";

type SettingsConfig = Pick<Config, "configPath" | "sources">;

export const tokenSourceOf = (config: SettingsConfig, token: string | undefined): TokenSource =>
  token ? (config.sources["telegram.bot_token"] === "env" ? "env" : "file") : "unset";

/**
 * Writes the patched settings to the config file's [telegram] table. A setting an environment
 * variable provides is refused (409): the file would not win over it.
 */
export function saveTelegramSettings(config: SettingsConfig, patch: TelegramSettingsPatch) {
  const table: Record<string, string | string[]> = {};
  if (patch.botToken !== undefined) {
    if (config.sources["telegram.bot_token"] === "env")
      throw conflict("the bot token is set by OPENDRAY_TELEGRAM_BOT_TOKEN; change it there");
    table.bot_token = patch.botToken ?? "";
  }
  if (patch.allowedChatIds !== undefined) {
    if (config.sources["telegram.allowed_chat_ids"] === "env")
      throw conflict("the allowed chats are set by OPENDRAY_TELEGRAM_ALLOWED_CHAT_IDS; change them there");
    table.allowed_chat_ids = patch.allowedChatIds;
  }
  if (Object.keys(table).length) saveConfigValues(config.configPath, { telegram: table });
}
