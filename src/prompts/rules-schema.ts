import * as v from "valibot";

/** A regular expression given as a string in a manifest; compiled case-insensitively. */
const Regex = v.pipe(
  v.string(),
  v.check((s) => {
    try {
      new RegExp(s, "iu");
      return true;
    } catch {
      return false;
    }
  }, "must be a valid regular expression"),
);

/**
 * A selection menu drawn by an agent's TUI: numbered rows, one of them marked by a cursor glyph,
 * under a question line. Matched bottom-up on the rendered screen.
 */
export const MenuRuleSchema = v.object({
  /** Prompt kind reported to clients: "permission", "trust", "question", "approval"… */
  kind: v.pipe(v.string(), v.minLength(1)),
  /** The question line above the rows; a named group `q` narrows the question text. */
  question: Regex,
  /** A row: named groups `key` and `label`. Rows may be separated by description lines. */
  option: v.optional(Regex, "^[\\s│┃]*(?:[❯›>●]\\s*)?(?<key>\\d+)[.)]\\s+(?<label>.+?)[\\s│┃]*$"),
  /** The glyph in front of the highlighted row. */
  cursor: v.optional(v.string(), "❯"),
  /** Must appear on a line below the rows (a key-hint footer), within `footerWithin` lines. */
  footer: v.optional(Regex),
  footerWithin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 6),
  /** How many lines the question may be above the first row. */
  questionWithin: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 12),
  /** How a row is chosen: type its key, or move the cursor with arrows. */
  select: v.optional(v.picklist(["digit", "arrows"]), "digit"),
  /** Sent after the key (digit) or after moving (arrows). */
  submit: v.optional(v.string(), "\r"),
  /** Rows whose label matches are shown but not offered (free-text entry, "chat about this"). */
  exclude: v.optional(v.array(Regex), []),
  /** Multi-select: a checkbox at the start of the label, `mark` group non-blank when checked. */
  checkbox: v.optional(Regex),
  /** Multi-select: a navigable row (not numbered) that submits the picks. */
  submitRow: v.optional(Regex),
  /** Key that toggles the highlighted row in a multi-select. */
  toggle: v.optional(v.string(), " "),
});

export const AgentPromptRulesSchema = v.object({
  /** Tried in order before the generic rules. */
  menus: v.optional(v.array(MenuRuleSchema), []),
  /** Lines dropped before the generic rules run (input boxes, status bars, separators). */
  ignore: v.optional(v.array(Regex), []),
  /** Whether the generic rules ([y/N], numbered questions…) apply to this agent's screen. */
  generic: v.optional(v.boolean(), true),
});

export type MenuRule = v.InferOutput<typeof MenuRuleSchema>;
export type AgentPromptRules = v.InferOutput<typeof AgentPromptRulesSchema>;
export type AgentPromptRulesInput = v.InferInput<typeof AgentPromptRulesSchema>;
