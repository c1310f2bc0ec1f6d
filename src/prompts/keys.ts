/**
 * How a prompt is answered, as plain data so it can travel as JSON (to the daemon, to Telegram).
 * - key:    type the option's key, then `submit` ("y\r", "2", "b\r").
 * - arrows: move the cursor from `cursorIndex` to the option's row, then `submit`.
 * - toggle: multi-select with a cursor: move to each row whose state must change, press `toggle`,
 *           then move to `submitIndex` (if any) and press `submit`.
 * - typed:  multi-select by typing the picks joined by `separator`, then `submit` ("1 3\r").
 * - enter:  any option just presses Enter (press Enter to continue, accept the [default]).
 * - text:   an open question: no buttons, the user types a reply.
 */
export type AnswerSpec =
  | { style: "key"; submit: string }
  | { style: "arrows"; cursorIndex: number; submit: string }
  | { style: "toggle"; cursorIndex: number; toggle: string; submitIndex: number | null; submit: string }
  | { style: "typed"; separator: string; submit: string }
  | { style: "enter" }
  | { style: "text" };

export interface PromptOption {
  key: string;
  label: string;
  /** Row position for cursor navigation (arrows/toggle). */
  index?: number;
  /** Multi-select: whether the row is already checked on screen. */
  checked?: boolean;
}

export interface DetectedPrompt {
  kind: string;
  question: string;
  options: PromptOption[];
  multi: boolean;
  answer: AnswerSpec;
  /** Which rule matched: "generic:<name>" or "<agent>:<kind>". */
  rule: string;
}

export class InvalidKeyError extends Error {
  constructor(readonly keys: string[]) {
    super(`not an offered option: ${keys.join(", ")}`);
  }
}

export const ARROW_UP = "\x1b[A";
export const ARROW_DOWN = "\x1b[B";

function move(from: number, to: number): string[] {
  return Array<string>(Math.abs(to - from)).fill(to >= from ? ARROW_DOWN : ARROW_UP);
}

/** The exact bytes that answer `prompt` with `keys`; throws InvalidKeyError for keys not offered. */
export function keysFor(prompt: Pick<DetectedPrompt, "options" | "multi" | "answer">, keys: string[]): string {
  return keystrokesFor(prompt, keys).join("");
}

/**
 * The same, as separate keystrokes. TUIs built on Ink read one chunk of input as one key, so
 * "↓ ↓ space" must reach the PTY as separate writes (PromptTracker spaces them out).
 */
export function keystrokesFor(prompt: Pick<DetectedPrompt, "options" | "multi" | "answer">, keys: string[]): string[] {
  const { answer } = prompt;
  if (answer.style === "text") throw new InvalidKeyError(keys);
  const chosen = keys.map((k) => prompt.options.find((o) => o.key === k));
  if (chosen.some((o) => !o) || new Set(keys).size !== keys.length) throw new InvalidKeyError(keys);
  const options = chosen as PromptOption[];
  if (!prompt.multi && options.length !== 1) throw new InvalidKeyError(keys);
  if (prompt.multi && answer.style !== "toggle" && options.length === 0) throw new InvalidKeyError(keys);
  const first = options[0] as PromptOption;
  const submit = (s: string) => (s ? [s] : []);
  switch (answer.style) {
    case "enter":
      return ["\r"];
    case "key":
      return [first.key + answer.submit];
    case "typed":
      return [options.map((o) => o.key).join(answer.separator) + answer.submit];
    case "arrows":
      return [...move(answer.cursorIndex, first.index ?? 0), ...submit(answer.submit)];
    case "toggle": {
      const want = new Set(keys);
      let at = answer.cursorIndex;
      const out: string[] = [];
      const flips = prompt.options.filter((o) => want.has(o.key) !== Boolean(o.checked));
      for (const o of flips.sort((a, b) => (a.index ?? 0) - (b.index ?? 0))) {
        out.push(...move(at, o.index ?? 0), answer.toggle);
        at = o.index ?? 0;
      }
      if (answer.submitIndex !== null) out.push(...move(at, answer.submitIndex));
      return [...out, ...submit(answer.submit)];
    }
  }
}
