import { expect, test } from "bun:test";
import { splitTool, toolAllowed, withTool } from "../../ui/src/lib/mcp-tools";

test("turning a tool off blocks it; on again it is allowed; a fixed allow-list keeps only the tools left on", () => {
  const open = { enabledTools: null, disabledTools: [] as string[] };
  const off = withTool(open, "get-sum", false);
  expect(off).toEqual({ enabledTools: null, disabledTools: ["get-sum"] });
  expect(toolAllowed(off, "get-sum")).toBe(false);
  expect(toolAllowed(off, "echo")).toBe(true);
  expect(withTool(off, "get-sum", true)).toEqual({ enabledTools: null, disabledTools: [] });

  const fixed = { enabledTools: ["echo", "get-sum"], disabledTools: [] as string[] };
  const fewer = withTool(fixed, "get-sum", false);
  expect(toolAllowed(fewer, "get-sum")).toBe(false);
  expect(toolAllowed(fewer, "get-env")).toBe(false);
  const more = withTool(fewer, "get-env", true);
  expect(more.enabledTools).toEqual(["echo", "get-env"]);
  expect(toolAllowed(more, "get-env")).toBe(true);
});

test("a logged call names its server and tool; built-in tools belong to opendray", () => {
  expect(splitTool("everything__echo")).toEqual({ server: "everything", tool: "echo" });
  expect(splitTool("my-srv__get__thing")).toEqual({ server: "my-srv", tool: "get__thing" });
  expect(splitTool("ask_user")).toEqual({ server: "opendray", tool: "ask_user" });
});
