import { notFound } from "../errors";
import { type AgentPromptRules, builtinPromptRules, type Prompt, PromptTracker } from "../prompts";
import type { SessionStream } from "../sessions/stream";
import { ScreenModel } from "./index";

export type PromptEvent = { type: "prompt"; prompt: Prompt } | { type: "prompt_cleared"; id: string };

/** What the prompt routes and Telegram use of a session's prompt tracker (src/mcp lays ask_user over it). */
export type PromptHandle = Pick<PromptTracker, "current" | "answerAndWait">;

interface Attached {
  screen: ScreenModel;
  tracker: PromptTracker;
  detach: () => void;
}

/** Each running session's screen and prompt tracker. */
export interface LiveScreens {
  /** Throws AppError not_found for an unknown or stopped session. */
  screen(sessionId: string): ScreenModel;
  /** Throws AppError not_found for an unknown or stopped session. */
  tracker(sessionId: string): PromptHandle;
  find(sessionId: string): ScreenModel | undefined;
  prompt(sessionId: string): Prompt | null;
}

/** The prompt rules of a session type (its plugin's name), if it has any. */
export function promptRulesFor(sessionType: string): AgentPromptRules | undefined {
  return builtinPromptRules[sessionType];
}

/**
 * Each running session's server-side terminal screen (fed from the output mirror, so it is rebuilt
 * from the PTY host's ring after a server restart) and the structured-prompt tracker reading it.
 */
export class SessionScreens implements LiveScreens {
  private attached = new Map<string, Attached>();

  constructor(
    private readonly write: (sessionId: string, keys: string) => void,
    private readonly onPromptEvent: (sessionId: string, event: PromptEvent) => void,
  ) {}

  attach(sessionId: string, sessionType: string, stream: SessionStream, cols: number, rows: number) {
    this.detach(sessionId);
    const screen = new ScreenModel(cols, rows, 1000, {
      startCursor: stream.start,
      read: (from, max) => stream.read(from, max),
    });
    const held = stream.read();
    if (held.bytes.length) screen.write(held.bytes, stream.end);
    const tracker = new PromptTracker({
      sessionId,
      agent: sessionType,
      rules: promptRulesFor(sessionType),
      screen,
      write: (keys) => this.write(sessionId, keys),
    });
    const offOutput = stream.subscribe((cursor, bytes) => screen.write(bytes, cursor + bytes.length));
    const offPrompt = tracker.onPrompt((prompt) => this.onPromptEvent(sessionId, { type: "prompt", prompt }));
    const offCleared = tracker.onCleared((id) => this.onPromptEvent(sessionId, { type: "prompt_cleared", id }));
    this.attached.set(sessionId, {
      screen,
      tracker,
      detach: () => {
        offOutput();
        offPrompt();
        offCleared();
      },
    });
  }

  resize(sessionId: string, cols: number, rows: number) {
    this.attached.get(sessionId)?.screen.resize(cols, rows);
  }

  detach(sessionId: string) {
    const a = this.attached.get(sessionId);
    if (!a) return;
    a.detach();
    const open = a.tracker.current();
    a.tracker.dispose();
    a.screen.dispose();
    this.attached.delete(sessionId);
    if (open) this.onPromptEvent(sessionId, { type: "prompt_cleared", id: open.id });
  }

  /** The open prompt of a running session, or null. */
  prompt(sessionId: string): Prompt | null {
    return this.attached.get(sessionId)?.tracker.current() ?? null;
  }

  /** The screen of a running session, if it has one. */
  find(sessionId: string): ScreenModel | undefined {
    return this.attached.get(sessionId)?.screen;
  }

  screen(sessionId: string): ScreenModel {
    return this.get(sessionId).screen;
  }

  tracker(sessionId: string): PromptTracker {
    return this.get(sessionId).tracker;
  }

  private get(sessionId: string): Attached {
    const found = this.attached.get(sessionId);
    if (!found) throw notFound("session");
    return found;
  }
}
