import type { Sql } from "postgres";
import type { Config } from "../config";
import type { HookBus } from "../hooks/bus";
import type { SessionView } from "../sessions/model";

/** A structured prompt as the prompts feature reports it (onPrompt data, `prompt(id)`). */
export type { Prompt } from "../prompts";

import type { Prompt } from "../prompts";

/** What the bridge needs from the session service; nothing more. */
export interface TelegramSessions {
  list(): Promise<SessionView[]>;
  /** Rejects (any error) when the session does not exist. */
  get(id: string): Promise<SessionView>;
  /** Writes to the PTY. The same `inputId` twice is written once (a redelivered update must not type twice). */
  input(id: string, data: string, inputId?: string): Promise<unknown>;
  stop(id: string): Promise<unknown>;
  /** Output bytes from `since` (default: everything retained); `from` > since when older bytes were dropped. */
  readBuffer(
    id: string,
    since?: number,
  ): { from: number; cursor: number; bytes: Uint8Array } | Promise<{ from: number; cursor: number; bytes: Uint8Array }>;
  /** Rendered screen (server-side terminal model). */
  screen?(id: string): Promise<{ lines: string[] }>;
  /** The session's open prompt, or null. */
  prompt?(id: string): Promise<Prompt | null>;
  /**
   * Local dev-server links in the session's text made links to its preview, for ports it serves
   * (the preview feature); each link as printed and where it leads now.
   */
  previewLinks?(
    id: string,
    text: string,
  ): Promise<{ text: string; links: { port: number; printed: string; url: string }[] }>;
  /** Answers prompt `promptId` with the chosen option keys; rejects when the prompt is gone. */
  answerPrompt?(id: string, promptId: string, keys: string[]): Promise<unknown>;
}

export interface TelegramTimings {
  /** Output relay batch window. */
  batchMs: number;
  /** Minimum gap between two idle notifications of one session. */
  cooldownMs: number;
  /** getUpdates long-poll timeout. */
  pollTimeoutSec: number;
  /** Delay between typed text and its Enter (TUIs treat text+\r in one write as a paste). */
  enterDelayMs: number;
}

export interface TelegramDeps {
  sql: Sql;
  hooks: HookBus;
  sessions: TelegramSessions;
  config: Pick<Config, "telegram" | "configPath" | "sources">;
  timings?: Partial<TelegramTimings>;
}

export const defaultTimings: TelegramTimings = {
  batchMs: 2000,
  cooldownMs: 10_000,
  pollTimeoutSec: 25,
  enterDelayMs: 100,
};
