import { AppError } from "../errors/index";
import { detectPrompt } from "./detect";
import { type DetectedPrompt, InvalidKeyError, keystrokesFor } from "./keys";
import type { Prompt } from "./model";
import type { AgentPromptRules } from "./rules-schema";

export type { Prompt } from "./model";

/** How long an answer's next keystroke waits for the TUI to draw its answer to the last one. */
const KEY_REACTION_MAX_MS = 500;

/** The part of a ScreenModel the tracker needs. */
export interface PromptScreen {
  snapshot(opts?: { settled?: boolean }): Promise<{ lines: string[]; byteCursor: number }>;
  onParsed(fn: (cursor: number) => void): () => void;
}

export interface PromptTrackerOptions {
  sessionId: string;
  agent: string;
  rules: AgentPromptRules | undefined;
  screen: PromptScreen;
  /** Writes keystrokes to the session's PTY; answer() calls it once per keystroke. */
  write?: (keys: string) => void;
  /** Gap between keystrokes of one answer, so TUIs read each as its own key. */
  keystrokeGapMs?: number;
  /**
   * Keystrokes wait until the prompt has been on screen this long: some TUIs (Gemini CLI) draw a
   * dialog a moment before they listen to its keys. Only an automated answer is ever this fast.
   */
  answerGuardMs?: number;
  /** Quiet time after the last parsed output before the screen is re-read. */
  debounceMs?: number;
  /** Upper bound between output and a re-read while output keeps coming. */
  maxWaitMs?: number;
  /** An answered prompt still on screen after this long is offered again under a new id. */
  reofferMs?: number;
}

export type PromptChange = "cleared" | "changed" | "timeout";

interface Open {
  shownAt: number;
  prompt: Prompt;
  detected: DetectedPrompt;
  fingerprint: string;
  answeredAt: number | null;
}

const fingerprint = (p: DetectedPrompt) => JSON.stringify([p.kind, p.question, p.options.map((o) => [o.key, o.label])]);

/** Watches one session's screen and keeps its open prompt, if any. */
export class PromptTracker {
  private open: Open | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPendingAt = 0;
  private checking: Promise<void> | null = null;
  private again = false;
  private disposed = false;
  private readonly unsubscribe: () => void;
  private readonly promptListeners = new Set<(p: Prompt) => void>();
  private readonly clearedListeners = new Set<(id: string) => void>();
  private readonly changeWaiters = new Set<(id: string) => void>();
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly reofferMs: number;

  constructor(private readonly opts: PromptTrackerOptions) {
    this.debounceMs = opts.debounceMs ?? 40;
    this.maxWaitMs = opts.maxWaitMs ?? 80;
    this.reofferMs = opts.reofferMs ?? 2000;
    // Rules with no menu and no generic detection (a shell's) find nothing: no screen reads as it types.
    const detects = !opts.rules || Boolean(opts.rules.menus?.length) || Boolean(opts.rules.generic);
    this.unsubscribe = detects ? opts.screen.onParsed(() => this.schedule()) : () => {};
  }

  current(): Prompt | null {
    return this.open?.prompt ?? null;
  }

  onPrompt(fn: (p: Prompt) => void): () => void {
    this.promptListeners.add(fn);
    return () => this.promptListeners.delete(fn);
  }

  onCleared(fn: (id: string) => void): () => void {
    this.clearedListeners.add(fn);
    return () => this.clearedListeners.delete(fn);
  }

  private schedule() {
    if (this.disposed) return;
    const now = performance.now();
    if (!this.timer) this.firstPendingAt = now;
    else clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, delay);
  }

  /** Re-reads the screen now; resolves when the open prompt reflects it. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        const snap = await this.opts.screen.snapshot().catch(() => null);
        if (!snap || this.disposed) return;
        this.apply(detectPrompt(snap.lines, this.opts.rules, this.opts.agent));
      } while (this.again && !this.disposed);
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private apply(found: DetectedPrompt | null) {
    const prev = this.open;
    const fp = found ? fingerprint(found) : null;
    if (prev && found && fp === prev.fingerprint) {
      const stuck = prev.answeredAt !== null && performance.now() - prev.answeredAt > this.reofferMs;
      if (!stuck) {
        // Same question; keep its id but take the fresh cursor/checkbox state for answering.
        prev.detected = found;
        prev.prompt.options = publicOptions(found);
        return;
      }
    }
    if (prev) {
      this.open = null;
      for (const fn of this.clearedListeners) fn(prev.prompt.id);
      for (const fn of this.changeWaiters) fn(prev.prompt.id);
    }
    if (found && fp) {
      const prompt: Prompt = {
        id: crypto.randomUUID(),
        sessionId: this.opts.sessionId,
        agent: this.opts.agent,
        kind: found.kind,
        question: found.question,
        options: publicOptions(found),
        multi: found.multi,
        detectedAt: new Date().toISOString(),
      };
      this.open = { prompt, detected: found, fingerprint: fp, answeredAt: null, shownAt: performance.now() };
      for (const fn of this.promptListeners) fn(prompt);
    }
  }

  /**
   * The keystrokes that answer the open prompt `promptId` with `keys`, written through `write` if
   * given. One answer per prompt: a second one, or one for a prompt no longer open, is stale (409).
   */
  answer(promptId: string, keys: string[]): { bytes: string; keystrokes: string[] } {
    const open = this.open;
    if (!open || open.prompt.id !== promptId || open.answeredAt !== null) {
      throw new AppError("conflict", "the prompt was already answered or is no longer open", undefined, {
        reason: "stale",
        prompt: open && open.answeredAt === null ? open.prompt : null,
      });
    }
    let keystrokes: string[];
    try {
      keystrokes = keystrokesFor(open.detected, keys);
    } catch (err) {
      if (!(err instanceof InvalidKeyError)) throw err;
      const offered = open.detected.options.map((o) => o.key).join(", ") || "none (type a reply)";
      throw new AppError(
        "invalid",
        `keys: ${err.message}; offered: ${offered}`,
        [{ path: "keys", message: err.message }],
        {
          reason: "invalid_key",
        },
      );
    }
    open.answeredAt = performance.now();
    this.send(keystrokes, Math.max(0, open.shownAt + (this.opts.answerGuardMs ?? 250) - open.answeredAt));
    return { bytes: keystrokes.join(""), keystrokes };
  }

  /**
   * One keystroke at a time: the next goes once the TUI has drawn its answer to the last (or after
   * KEY_REACTION_MAX_MS), and never sooner than the gap. Keys on a fixed clock reach a busy TUI
   * together and are read as one key.
   */
  private send(keystrokes: string[], delayMs: number) {
    const write = this.opts.write;
    if (!write) return;
    const gap = this.opts.keystrokeGapMs ?? 40;
    const next = (i: number) => {
      const key = keystrokes[i];
      if (this.disposed || key === undefined) return;
      write(key);
      if (i + 1 < keystrokes.length) void this.reactionTo(gap).then(() => next(i + 1));
    };
    if (delayMs === 0) next(0);
    else setTimeout(() => next(0), delayMs);
  }

  private reactionTo(gapMs: number): Promise<void> {
    const sent = performance.now();
    return new Promise((resolve) => {
      const done = () => {
        off();
        clearTimeout(cap);
        setTimeout(resolve, Math.max(0, sent + gapMs - performance.now()));
      };
      const off = this.opts.screen.onParsed(done);
      const cap = setTimeout(done, KEY_REACTION_MAX_MS);
    });
  }

  /** Resolves when prompt `promptId` is cleared or replaced, or with "timeout". */
  waitForChange(promptId: string, timeoutMs = 5000): Promise<PromptChange> {
    if (this.open?.prompt.id !== promptId) return Promise.resolve(this.open ? "changed" : "cleared");
    return new Promise((resolve) => {
      const done = (outcome: PromptChange) => {
        clearTimeout(timer);
        this.changeWaiters.delete(onChange);
        resolve(outcome);
      };
      const onChange = (id: string) => {
        if (id === promptId) queueMicrotask(() => done(this.open ? "changed" : "cleared"));
      };
      const timer = setTimeout(() => done("timeout"), timeoutMs);
      this.changeWaiters.add(onChange);
    });
  }

  /** answer() and then wait for the prompt to go away or change. */
  async answerAndWait(
    promptId: string,
    keys: string[],
    timeoutMs = 5000,
  ): Promise<{ bytes: string; keystrokes: string[]; outcome: PromptChange; prompt: Prompt | null }> {
    const { bytes, keystrokes } = this.answer(promptId, keys);
    const outcome = await this.waitForChange(promptId, timeoutMs);
    return { bytes, keystrokes, outcome, prompt: this.current() };
  }

  dispose() {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    this.promptListeners.clear();
    this.clearedListeners.clear();
    for (const fn of this.changeWaiters) fn(this.open?.prompt.id ?? "");
  }
}

function publicOptions(p: DetectedPrompt): Prompt["options"] {
  return p.options.map((o) =>
    o.checked === undefined ? { key: o.key, label: o.label } : { key: o.key, label: o.label, checked: o.checked },
  );
}
