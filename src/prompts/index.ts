export { builtinPromptRules } from "./builtin-rules.ts";
export { detectPrompt } from "./detect.ts";
export { type AnswerSpec, type DetectedPrompt, InvalidKeyError, keysFor, keystrokesFor, type PromptOption } from "./keys.ts";
export { type AgentPromptRules, AgentPromptRulesSchema, type MenuRule, MenuRuleSchema } from "./rules-schema.ts";
export { type Prompt, type PromptChange, type PromptScreen, PromptTracker, type PromptTrackerOptions } from "./tracker.ts";
