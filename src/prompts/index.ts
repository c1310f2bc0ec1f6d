export { builtinPromptRules } from "./builtin-rules";
export { detectPrompt } from "./detect";
export {
  type AnswerSpec,
  type DetectedPrompt,
  InvalidKeyError,
  keysFor,
  keystrokesFor,
  type PromptOption,
} from "./keys";
export { type AgentPromptRules, AgentPromptRulesSchema, type MenuRule, MenuRuleSchema } from "./rules-schema";
export { type Prompt, type PromptChange, type PromptScreen, PromptTracker, type PromptTrackerOptions } from "./tracker";
