import * as v from "valibot";
import { type AgentPromptRules, type AgentPromptRulesInput, AgentPromptRulesSchema } from "./rules-schema";

// Prompt rules of the builtin agents, until their manifests carry a `prompts` field. Claude Code's
// Qwen Code's and Codex's approvals are checked against screens captured from the real CLIs
// (tests/prompts/fixtures/), as are Codex's and Gemini's trust screens; Gemini's approvals are not yet.

const boxOnly = "^[\\s─━╌═│┃╭╮╰╯┌┐└┘├┤]*$";

const claude: AgentPromptRulesInput = {
  ignore: [boxOnly, "^\\s*❯(\\s|$)", "\\? for shortcuts", "esc to interrupt", "^\\s*⏵⏵", "/effort\\s*$"],
  menus: [
    {
      kind: "trust",
      question: "(?<q>Is this a project you created or one you trust\\?|Do you trust the files in this folder\\?)",
      footer: "Enter to confirm|Esc to cancel",
      submit: "",
    },
    { kind: "permission", question: "^\\s*(?<q>Do you want to .+\\?)\\s*$", footer: "Esc to cancel", submit: "" },
    {
      kind: "question",
      question: "^\\s*(?<q>\\S.*\\?)\\s*$",
      footer: "Enter to select",
      exclude: ["^Type something\\.?$", "^Chat about this$"],
      checkbox: "^\\[(?<mark>[^\\]])\\]\\s*",
      submitRow: "^\\s*(?:❯\\s*)?Submit\\s*$",
      submit: "",
    },
    // The review step after a multi-question or multi-select answer.
    { kind: "question", question: "^\\s*(?<q>Ready to submit your answers\\?)\\s*$", submit: "" },
    {
      kind: "menu",
      question: "^\\s*(?<q>\\S.*)$",
      footer: "Enter to (select|confirm)|Esc to (cancel|go back|exit)",
      submit: "",
    },
  ],
};

const codex: AgentPromptRulesInput = {
  ignore: [boxOnly, "^\\s*›(\\s|$)", "send\\s+⏎|⏎ send", "context left"],
  menus: [
    {
      kind: "trust",
      question: "(?<q>Do you trust the contents of this directory\\?|Trust this folder\\?)",
      cursor: "›",
      select: "arrows",
    },
    {
      kind: "approval",
      question: "^\\s*(?<q>(Would you like to|Allow|Do you want to) .+\\?)\\s*$",
      cursor: "›",
      select: "arrows",
    },
    {
      kind: "menu",
      question: "^\\s*(?<q>\\S.*)$",
      cursor: "›",
      select: "arrows",
      footer: "(press )?enter to confirm|esc to (cancel|go back)",
    },
  ],
};

// Gemini CLI draws radio menus with "●" on the highlighted row, inside a box. Its trust dialog is
// checked against a capture (fixtures/gemini-trust.txt); its tool approvals are not yet.
const geminiFamily: AgentPromptRulesInput = {
  ignore: [boxOnly, "^\\s*[>*]\\s+Type your message", "no sandbox", "context left\\)"],
  menus: [
    {
      kind: "trust",
      question: "(?<q>Do you trust (the files in )?this folder\\?)",
      option: "^[\\s│]*(?:●\\s*)?(?<key>\\d+)\\.\\s+(?<label>.+?)[\\s│]*$",
      cursor: "●",
      select: "arrows",
    },
    {
      kind: "approval",
      question:
        "^[\\s│]*(?<q>(Allow execution of|Apply this change|Allow execution|Do you want to proceed|Allow).*\\?)[\\s│]*$",
      option: "^[\\s│]*(?:●\\s*)?(?<key>\\d+)\\.\\s+(?<label>.+?)[\\s│]*$",
      cursor: "●",
      select: "arrows",
    },
  ],
};

// Checked against captures (tests/prompts/fixtures/qwen-*.txt): "›" marks the row, arrows + Enter choose.
const qwen: AgentPromptRulesInput = {
  ignore: [
    boxOnly,
    "^\\s*>\\s+Type your message",
    "^\\s*➜ ",
    "mode \\(shift \\+ tab to cycle\\)",
    "Waiting for user confirmation",
  ],
  menus: [
    {
      kind: "approval",
      question: "^[\\s│]*(?<q>(Allow execution of|Apply this change|Allow|Do you want to).*\\?)[\\s│]*$",
      cursor: "›",
      select: "arrows",
    },
    { kind: "menu", question: "^[\\s│]*(?<q>[^\\s│].*\\?)[\\s│]*$", cursor: "›", select: "arrows" },
  ],
};

const raw: Record<string, AgentPromptRulesInput> = {
  claude,
  codex,
  gemini: geminiFamily,
  "qwen-code": qwen,
  opencode: { ignore: [boxOnly] },
  terminal: {},
};

/** Parsed rules per builtin plugin, keyed by its manifest name (the session type). */
export const builtinPromptRules: Record<string, AgentPromptRules> = Object.fromEntries(
  Object.entries(raw).map(([id, rules]) => [id, v.parse(AgentPromptRulesSchema, rules)]),
);
