import { detectGeneric } from "./generic";
import type { DetectedPrompt } from "./keys";
import { detectMenu } from "./menu";
import type { AgentPromptRules } from "./rules-schema";

const ignoreCache = new WeakMap<AgentPromptRules, RegExp[]>();

/**
 * The question the agent is waiting on, read from its rendered screen (top to bottom), or null.
 * The agent's own menu rules come first, then the generic rules over the lines its `ignore` keeps.
 */
export function detectPrompt(
  lines: string[],
  rules: AgentPromptRules | undefined,
  agent = "agent",
): DetectedPrompt | null {
  for (const menu of rules?.menus ?? []) {
    const found = detectMenu(lines, menu, `${agent}:${menu.kind}`);
    if (found) return found;
  }
  if (rules && !rules.generic) return null;
  let ignore = rules ? ignoreCache.get(rules) : undefined;
  if (rules && !ignore) {
    ignore = rules.ignore.map((s) => new RegExp(s, "iu"));
    ignoreCache.set(rules, ignore);
  }
  const kept = ignore?.length ? lines.filter((l) => !ignore.some((r) => r.test(l))) : lines;
  return detectGeneric(kept);
}
