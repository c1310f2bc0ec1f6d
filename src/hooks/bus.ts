import { log } from "../log";

export type HookType = "onSessionStart" | "onOutput" | "onIdle" | "onSessionStop" | "onPrompt" | "onPromptCleared";

export interface HookEvent {
  type: HookType;
  sessionId: string;
  timestamp: string;
  data?: unknown;
}

type Listener = (event: HookEvent) => void | Promise<void>;

interface HttpCallback {
  url: string;
  types: HookType[];
  timeoutMs: number;
}

/** In-process subscribers plus HTTP callbacks; a failing subscriber never affects another. */
export class HookBus {
  private listeners = new Map<HookType, Set<Listener>>();
  private callbacks: HttpCallback[] = [];

  on(type: HookType, listener: Listener): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  addHttpCallback(url: string, types: HookType[], timeoutMs = 5000) {
    this.callbacks.push({ url, types, timeoutMs });
  }

  emit(type: HookType, sessionId: string, data?: unknown) {
    const listeners = this.listeners.get(type);
    // onOutput fires for every PTY read: build nothing when nobody listens.
    if (!listeners?.size && !this.callbacks.some((cb) => cb.types.includes(type))) return;
    const event: HookEvent = { type, sessionId, timestamp: new Date().toISOString(), data };
    for (const listener of listeners ?? []) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((e) => log.warn("hook listener failed", { type, error: e }));
      } catch (e) {
        log.warn("hook listener failed", { type, error: e });
      }
    }
    for (const cb of this.callbacks) {
      if (!cb.types.includes(type)) continue;
      fetch(cb.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(cb.timeoutMs),
      }).catch((e) => log.warn("hook callback failed", { url: cb.url, type, error: e }));
    }
  }
}
