/** The gateway's tool rules as the UI applies them (pure: no API, no DOM). */
interface ToolLists {
  enabledTools: string[] | null;
  disabledTools: string[];
}

/** Whether the server's allow/deny lists let a tool through (as the gateway decides). */
export function toolAllowed(s: ToolLists, tool: string) {
  if (s.disabledTools.includes(tool)) return false;
  return !s.enabledTools || s.enabledTools.includes(tool);
}

/** The lists after one tool is turned on or off; a fixed allow-list keeps its shape. */
export function withTool(s: ToolLists, tool: string, allowed: boolean) {
  const disabledTools = allowed ? s.disabledTools.filter((t) => t !== tool) : [...new Set([...s.disabledTools, tool])];
  let enabledTools = s.enabledTools;
  if (enabledTools)
    enabledTools = allowed ? [...new Set([...enabledTools, tool])] : enabledTools.filter((t) => t !== tool);
  return { enabledTools, disabledTools };
}

export function appliesToAgent(s: { appliesTo: string[] }, agent: string) {
  return s.appliesTo.includes("*") || s.appliesTo.includes(agent);
}

/** "everything__echo" → { server: "everything", tool: "echo" }; built-ins belong to opendray itself. */
export function splitTool(name: string) {
  const at = name.indexOf("__");
  return at < 0 ? { server: "opendray", tool: name } : { server: name.slice(0, at), tool: name.slice(at + 2) };
}
