export interface PromptContext {
  /** The screen lines just above the question: what is being approved. */
  lines: string[];
  /** For an agent's file edit or write: the file's name. */
  file: string | null;
}

const BOX = /^[\s│┃|╭╮╰╯─━┌┐└┘├┤]+|[\s│┃|╭╮╰╯─━┌┐└┘├┤]+$/g;
const FILE = /\b(?:edit(?: to)?|create|write(?: to)?|overwrite|update|make this edit to)\s+([\w./@~-]+\.[\w]+)/i;
const MAX_LINES = 16;

/** Picks the context out of the screen's text lines (as GET …/screen gives them). */
export function promptContext(screen: string[], question: string): PromptContext {
  const needle = question.trim().slice(0, 40);
  let at = -1;
  for (let i = screen.length - 1; i >= 0; i--) {
    if (needle && (screen[i] ?? "").includes(needle)) {
      at = i;
      break;
    }
  }
  const above = (at < 0 ? [] : screen.slice(Math.max(0, at - 40), at)).map((l) => l.replace(BOX, ""));
  while (above.length && !above[0]?.trim()) above.shift();
  while (above.length && !above[above.length - 1]?.trim()) above.pop();
  const lines = above.slice(-MAX_LINES);
  const file = FILE.exec(question)?.[1] ?? lines.map((l) => FILE.exec(l)?.[1]).find(Boolean) ?? null;
  return { lines, file };
}

/** A diff line as agents draw them ("12 + added", "- removed"): its kind for colouring. */
export function diffKind(line: string): "add" | "del" | null {
  const m = /^\s*\d*\s*([+-])(?:\s|$)/.exec(line);
  return m ? (m[1] === "+" ? "add" : "del") : null;
}

const YES = /^\s*(?:\d+[.)]\s*)?(?:y|yes|allow|approve|accept|continue|ok|proceed)\b/i;
/** The affirmative option (shown as the primary button): the first that says yes, else none. */
export const affirmative = (options: { key: string; label: string }[]) =>
  options.find((o) => YES.test(o.label || o.key))?.key ?? null;
