import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import type { Prompt } from "../prompts";
import type { LiveScreens, PromptHandle } from "../screen/sessions";

export interface AskInput {
  question: string;
  options: string[];
  multi: boolean;
}

interface OpenAsk {
  prompt: Prompt;
  resolve: (keys: string[] | null) => void;
}

export type AskEvent = { type: "prompt"; prompt: Prompt } | { type: "prompt_cleared"; id: string };

/**
 * Questions an agent asks through the ask_user tool, shown as structured prompts of kind `ask`:
 * the same card, Web Push and Telegram keyboard as a permission dialog, answered through the same
 * prompt API. One open question per session; a question wins over a dialog on the screen.
 */
export class AskPrompts {
  private readonly open = new Map<string, OpenAsk>();
  /** Queued behind the open one, in the order asked. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly emit: (sessionId: string, event: AskEvent) => void) {}

  current(sessionId: string): Prompt | null {
    return this.open.get(sessionId)?.prompt ?? null;
  }

  /** Resolves with the chosen keys, or null on timeout or abort. */
  async ask(sessionId: string, agent: string, input: AskInput, timeoutMs: number, signal?: AbortSignal) {
    while (this.open.has(sessionId)) {
      await new Promise<void>((r) => {
        const q = this.waiting.get(sessionId) ?? [];
        q.push(r);
        this.waiting.set(sessionId, q);
      });
    }
    const prompt: Prompt = {
      id: `ask-${randomUUID()}`,
      sessionId,
      agent,
      kind: "ask",
      question: input.question,
      options: input.options.map((label, i) => ({
        key: String(i + 1),
        label,
        ...(input.multi ? { checked: false } : {}),
      })),
      multi: input.multi,
      detectedAt: new Date().toISOString(),
    };
    return new Promise<{ keys: string[] | null; prompt: Prompt }>((resolve) => {
      const done = (keys: string[] | null) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.open.get(sessionId)?.prompt.id !== prompt.id) return;
        this.open.delete(sessionId);
        this.emit(sessionId, { type: "prompt_cleared", id: prompt.id });
        this.waiting.get(sessionId)?.shift()?.();
        resolve({ keys, prompt });
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      const onAbort = () => done(null);
      signal?.addEventListener("abort", onAbort);
      this.open.set(sessionId, { prompt, resolve: done });
      this.emit(sessionId, { type: "prompt", prompt });
    });
  }

  /** Whether promptId is an open question of this session; answers it with the keys if so. */
  answer(sessionId: string, promptId: string, keys: string[]): boolean {
    const o = this.open.get(sessionId);
    if (!o || o.prompt.id !== promptId) {
      if (promptId.startsWith("ask-"))
        throw new AppError("conflict", "this question was already answered or withdrawn");
      return false;
    }
    const known = new Set(o.prompt.options.map((x) => x.key));
    const bad = keys.find((k) => !known.has(k));
    if (bad !== undefined || keys.length === 0 || (!o.prompt.multi && keys.length !== 1)) {
      const message =
        bad !== undefined
          ? `"${bad}" is not an option of this question (${[...known].join(", ")})`
          : o.prompt.multi
            ? "choose at least one option"
            : "choose exactly one option";
      throw new AppError("invalid", message, [{ path: "keys", message }], { reason: "invalid_key" });
    }
    o.resolve(keys);
    return true;
  }

  /**
   * The sessions' screens with each open question laid over the screen's prompt: GET /prompt, the
   * WebSocket's first frames and Telegram see it, and an answer to it resolves the ask_user call.
   */
  over(inner: LiveScreens): LiveScreens {
    return {
      screen: (id) => inner.screen(id),
      find: (id) => inner.find(id),
      prompt: (id) => this.current(id) ?? inner.prompt(id),
      tracker: (id): PromptHandle => {
        const screen = inner.tracker(id);
        return {
          current: () => this.current(id) ?? screen.current(),
          answerAndWait: async (promptId, keys, timeoutMs) => {
            if (!this.answer(id, promptId, keys)) return screen.answerAndWait(promptId, keys, timeoutMs);
            return { bytes: "", keystrokes: [], outcome: "cleared", prompt: screen.current() };
          },
        };
      },
    };
  }
}
