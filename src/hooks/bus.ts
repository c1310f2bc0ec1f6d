import { log } from "../log";
import type { Prompt } from "../prompts";

/** Every hook, in the order the docs list them: plugin manifests name these in `hooks.events`. */
export const HOOK_TYPES = [
  "onSessionStart",
  "onOutput",
  "onIdle",
  "onSessionStop",
  "onPrompt",
  "onPromptCleared",
  "onAccountLimit",
] as const;

export type HookType = (typeof HOOK_TYPES)[number];

/** The `data` each hook carries. */
export interface HookPayloads {
  onSessionStart: { pid: number | null };
  /** Fires for every PTY read: `cursor` is the stream position of the first byte. */
  onOutput: { cursor: number; bytes: Uint8Array };
  onIdle: { lastLine: string };
  /** `reason` as in the session's exitReason: "stopped", "host-lost", or null when it ended on its own. */
  onSessionStop: { exitCode: number | null; reason?: "stopped" | "host-lost" | null };
  onPrompt: Prompt;
  /** `id` of the prompt that went away. */
  onPromptCleared: { id: string };
  /** A Claude account hit its usage limit: `to` is the account the session moved to (null: it did not move). */
  onAccountLimit: {
    from: string;
    to: string | null;
    resetsAt: string;
    /** The time zone Claude named the reset in (the user's): the message reads the time in it. */
    zone?: string;
    message: string;
    suggested: string | null;
    resumed?: boolean;
  };
}

export interface HookEvent<T extends HookType = HookType> {
  type: T;
  sessionId: string;
  timestamp: string;
  data: HookPayloads[T];
}

export type HookListener<T extends HookType> = (event: HookEvent<T>) => void | Promise<void>;

/** In-process subscribers to session events; a failing subscriber never affects another. */
export class HookBus {
  private listeners: { [T in HookType]?: Set<HookListener<T>> } = {};

  on<T extends HookType>(type: T, listener: HookListener<T>): () => void {
    const set: Set<HookListener<T>> = this.listeners[type] ?? new Set();
    (this.listeners as Record<T, Set<HookListener<T>>>)[type] = set;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<T extends HookType>(type: T, sessionId: string, data: HookPayloads[T]) {
    const listeners = this.listeners[type] as Set<HookListener<T>> | undefined;
    // onOutput fires for every PTY read: build nothing when nobody listens.
    if (!listeners?.size) return;
    const event: HookEvent<T> = { type, sessionId, timestamp: new Date().toISOString(), data };
    for (const listener of listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((e) => log.warn("hook listener failed", { type, error: e }));
      } catch (e) {
        log.warn("hook listener failed", { type, error: e });
      }
    }
  }
}
