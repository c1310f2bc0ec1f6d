import type { DetectedPrompt, PromptOption } from "./keys";
import type { MenuRule } from "./rules-schema";

interface Compiled {
  question: RegExp;
  option: RegExp;
  footer?: RegExp;
  exclude: RegExp[];
  checkbox?: RegExp;
  submitRow?: RegExp;
}

const cache = new WeakMap<MenuRule, Compiled>();
const re = (s: string) => new RegExp(s, "iu");

function compile(rule: MenuRule): Compiled {
  let c = cache.get(rule);
  if (!c) {
    c = {
      question: re(rule.question),
      option: re(rule.option),
      footer: rule.footer ? re(rule.footer) : undefined,
      exclude: rule.exclude.map(re),
      checkbox: rule.checkbox ? re(rule.checkbox) : undefined,
      submitRow: rule.submitRow ? re(rule.submitRow) : undefined,
    };
    cache.set(rule, c);
  }
  return c;
}

type Row =
  | { line: number; kind: "option"; key: string; label: string; cursor: boolean }
  | { line: number; kind: "submit"; cursor: boolean };

/** Rows separated by more than this many other lines belong to different blocks. */
const MAX_GAP = 2;

function classify(lines: string[], rule: MenuRule, c: Compiled): (Row | null)[] {
  return lines.map((text, line) => {
    const m = c.option.exec(text);
    const key = m?.groups?.key;
    const label = m?.groups?.label;
    if (m && key && label !== undefined) {
      const before = text.slice(0, m.index + m[0].indexOf(key));
      return { line, kind: "option", key, label: label.trim(), cursor: before.includes(rule.cursor) };
    }
    if (c.submitRow?.test(text)) return { line, kind: "submit", cursor: text.trimStart().startsWith(rule.cursor) };
    return null;
  });
}

/** The bottom-most block of menu rows on screen, or null. */
function lastBlock(rows: (Row | null)[]): Row[] | null {
  let end = rows.length - 1;
  while (end >= 0 && !rows[end]) end--;
  if (end < 0) return null;
  const block: Row[] = [];
  let gap = 0;
  for (let i = end; i >= 0; i--) {
    const r = rows[i];
    if (r) {
      block.unshift(r);
      gap = 0;
    } else if (++gap > MAX_GAP) break;
  }
  return block;
}

export function detectMenu(lines: string[], rule: MenuRule, name: string): DetectedPrompt | null {
  const c = compile(rule);
  const block = lastBlock(classify(lines, rule, c));
  if (!block) return null;
  const numbered = block.filter((r): r is Extract<Row, { kind: "option" }> => r.kind === "option");
  if (numbered.length < 2 || !block.some((r) => r.cursor)) return null;
  // Menus number their rows 1..n; anything else is a list in the transcript.
  if (!numbered.every((r, i) => r.key === String(i + 1))) return null;

  const first = block[0] as Row;
  const last = block[block.length - 1] as Row;
  let question: string | null = null;
  for (let i = first.line - 1; i >= Math.max(0, first.line - rule.questionWithin); i--) {
    const m = c.question.exec(lines[i] ?? "");
    if (m) {
      question = (m.groups?.q ?? lines[i] ?? "").trim();
      break;
    }
  }
  if (question === null) return null;
  if (c.footer) {
    const below = lines.slice(last.line + 1, last.line + 1 + rule.footerWithin);
    if (!below.some((l) => c.footer?.test(l))) return null;
  }

  const cursorIndex = block.findIndex((r) => r.cursor);
  const submitIndex = block.findIndex((r) => r.kind === "submit");
  let multi = false;
  const options: PromptOption[] = [];
  block.forEach((r, index) => {
    if (r.kind !== "option") return;
    let label = r.label;
    let checked: boolean | undefined;
    const box = c.checkbox?.exec(label);
    if (box) {
      multi = true;
      checked = (box.groups?.mark ?? "").trim() !== "";
      label = label.slice(box[0].length).trim();
    }
    if (c.exclude.some((x) => x.test(label))) return;
    options.push({ key: r.key, label, index, ...(checked === undefined ? {} : { checked }) });
  });
  if (options.length === 0) return null;

  const answer: DetectedPrompt["answer"] = multi
    ? {
        style: "toggle",
        cursorIndex,
        toggle: rule.toggle,
        submitIndex: submitIndex >= 0 ? submitIndex : null,
        submit: "\r",
      }
    : rule.select === "arrows"
      ? { style: "arrows", cursorIndex, submit: rule.submit }
      : { style: "key", submit: rule.submit };
  return { kind: rule.kind, question, options, multi, answer, rule: name };
}
