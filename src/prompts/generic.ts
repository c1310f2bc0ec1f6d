import type { DetectedPrompt, PromptOption } from "./keys";

// The generic rules, in priority order (y/n/a, y/n, numbered menus, bullets), over the last 15 non-empty
// lines. Questions must sit at the bottom of the screen: a "[y/N]" that scrolled up was answered.

const YNA = /[[(]\s*y(?:es)?\s*\/\s*n(?:o)?\s*\/\s*a(?:lways)?\s*[\])]\s*:?\s*$/i;
const YN = /[[(]\s*y(?:es)?\s*\/\s*n(?:o)?\s*[\])]\s*:?\s*$/i;
const NUMBERED = /^\s*(?:[❯›>]\s*)?(\d+)[.)]\s+(\S.*?)\s*$/u;
const BULLET = /^\s*[-*•]\s+(\S.*?)\s*$/u;
const QUESTION_CONTEXT =
  /[?？]\s*$|[?？]\s*[(（][^)）]*[)）]\s*$|\b(which|choose|select|prefer|pick|would you like|options?|approach)\b|选择|多选/i;
const MULTI = /select all that apply|choose all that apply|one or more|\bmultiple\b|多选|可多选|多项选择/i;
const LETTERED = /\(([a-z])\)\s*([^()]*?)(?=\s*(?:,?\s*(?:or\s+)?\([a-z]\)|[?.]?\s*$))/giu;
const ALLOW = /\b(allow|permit|approve)\b.*\?\s*$/i;
const PLAN =
  /\b(shall i (proceed|go ahead|continue|start)|should i (proceed|go ahead)|ready to (implement|proceed|start)|want me to (go ahead|proceed|start|implement)|would you like me to (proceed|go ahead|implement)|proceed with (the|this) plan)\b/i;
const DEFAULT_VALUE = /^(.*?)\s*\[([^\]\n]+)\]\s*:\s*$/;
const PRESS_ENTER = /\b(press|hit)\s+(enter|return)\b/i;
const OPEN_ENDED = /^\W*(which|what|how|where|who|why|when)\b|\bor\b[^?]*\?\s*$/i;

const yes = { key: "y", label: "Yes" };
const no = { key: "n", label: "No" };
const typeKey = { style: "key", submit: "\r" } as const;

function prompt(
  rule: string,
  kind: string,
  question: string,
  options: PromptOption[],
  extra: Partial<DetectedPrompt> = {},
): DetectedPrompt {
  return { kind, question: question.trim(), options, multi: false, answer: typeKey, rule: `generic:${rule}`, ...extra };
}

/** A numbered list 1..n (2–9 rows) near the bottom, with a question line above or below it. */
function numberedList(lines: string[]): DetectedPrompt | null {
  let end = lines.length - 1;
  while (end >= 0 && !NUMBERED.test(lines[end] ?? "")) end--;
  if (end < 0 || lines.length - 1 - end > 2) return null;
  let start = end;
  while (start > 0 && NUMBERED.test(lines[start - 1] ?? "")) start--;
  const rows = lines.slice(start, end + 1).map((l) => NUMBERED.exec(l) as RegExpExecArray);
  if (rows.length < 2 || rows.length > 9 || !rows.every((m, i) => m[1] === String(i + 1))) return null;
  const around = [lines[start - 1], lines[start - 2], ...lines.slice(end + 1)].filter(
    (l): l is string => l !== undefined,
  );
  const question = around.find((l) => QUESTION_CONTEXT.test(l));
  if (!question) return null;
  const options = rows.map((m) => ({ key: m[1] as string, label: m[2] as string }));
  const multi = around.some((l) => MULTI.test(l));
  return prompt(multi ? "multi_select" : "numbered", multi ? "multi_select" : "numbered", question, options, {
    multi,
    answer: multi ? { style: "typed", separator: " ", submit: "\r" } : typeKey,
  });
}

function lettered(lines: string[]): DetectedPrompt | null {
  const text = lines.slice(-2).join(" ");
  const found = [...text.matchAll(LETTERED)];
  if (found.length < 2) return null;
  const keys = found.map((m) => (m[1] as string).toLowerCase());
  if (!keys.every((k, i) => k === String.fromCharCode(97 + i))) return null;
  const options = found.map((m) => ({
    key: (m[1] as string).toLowerCase(),
    label: (m[2] as string).replace(/[,;]\s*$/, "").trim(),
  }));
  const question = text.slice(0, found[0]?.index ?? 0).trim() || text;
  return prompt("lettered", "lettered", question, options);
}

function bullets(lines: string[]): DetectedPrompt | null {
  const end = lines.length - 1;
  if (!BULLET.test(lines[end] ?? "")) return null;
  let start = end;
  while (start > 0 && BULLET.test(lines[start - 1] ?? "")) start--;
  const question = lines[start - 1];
  const count = end - start + 1;
  if (!question || !QUESTION_CONTEXT.test(question) || count < 2 || count > 9) return null;
  const options = lines
    .slice(start, end + 1)
    .map((l, i) => ({ key: String(i + 1), label: (BULLET.exec(l) as RegExpExecArray)[1] as string }));
  return prompt("bullets", "numbered", question, options);
}

export function detectGeneric(allLines: string[]): DetectedPrompt | null {
  const lines = allLines
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "")
    .slice(-15);
  if (lines.length === 0) return null;
  const last = lines[lines.length - 1] as string;
  const tail = lines.slice(-2);

  const yna = tail.find((l) => YNA.test(l));
  if (yna) return prompt("yes_no_always", "yes_no_always", yna, [yes, no, { key: "a", label: "Always" }]);
  const yn = tail.find((l) => YN.test(l));
  if (yn) return prompt("yes_no", "yes_no", yn, [yes, no]);
  const list = numberedList(lines) ?? lettered(lines) ?? bullets(lines);
  if (list) return list;
  if (ALLOW.test(last))
    return prompt("allow_deny", "allow_deny", last, [
      { key: "y", label: "Allow" },
      { key: "n", label: "Deny" },
    ]);
  if (PLAN.test(last))
    return prompt("plan_approval", "plan_approval", last, [
      { key: "y", label: "Proceed" },
      { key: "n", label: "Stop" },
    ]);
  const def = DEFAULT_VALUE.exec(last);
  if (def)
    return prompt("default_value", "default_value", def[1] || last, [{ key: "accept", label: `Accept: ${def[2]}` }], {
      answer: { style: "enter" },
    });
  if (PRESS_ENTER.test(last))
    return prompt("enter_continue", "enter_continue", last, [{ key: "enter", label: "Enter ↵" }], {
      answer: { style: "enter" },
    });
  if (/\?\s*$/.test(last)) {
    if (OPEN_ENDED.test(last)) return prompt("question", "question", last, [], { answer: { style: "text" } });
    return prompt("yes_no", "yes_no", last, [yes, no]);
  }
  return null;
}
