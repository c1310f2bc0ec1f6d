import { expect, test } from "bun:test";
import { SseParser } from "../sse";
import { ChatToResponsesStream, chatToResponses, responsesToChat, toolNamespaces } from "./responses-chat";

const dec = new TextDecoder();

/** What Codex 0.169 sends for an MCP server: a `namespace` tool named mcp__<server> holding its functions. */
const codexRequest = {
  model: "gpt-5",
  stream: true,
  tools: [
    { type: "function", name: "exec_command", parameters: { type: "object" } },
    {
      type: "namespace",
      name: "mcp__opendray",
      description: "OpenDray",
      tools: [
        { type: "function", name: "everything__echo", description: "Echoes back", parameters: { type: "object" } },
        { type: "function", name: "ask_user", parameters: { type: "object" } },
      ],
    },
  ],
  input: [
    { type: "message", role: "user", content: "echo it" },
    {
      type: "function_call",
      call_id: "call_1",
      name: "everything__echo",
      namespace: "mcp__opendray",
      arguments: '{"message":"hi"}',
    },
    { type: "function_call_output", call_id: "call_1", output: [{ type: "input_text", text: "Echo: hi" }] },
  ],
};

test("Codex's MCP tools (a namespace tool) reach a chat model as functions, and its earlier MCP call keeps its name", () => {
  const chat = responsesToChat(codexRequest, "m");
  expect(chat.tools?.map((t) => t.function.name)).toEqual([
    "exec_command",
    "mcp__opendray__everything__echo",
    "mcp__opendray__ask_user",
  ]);
  expect(chat.tools?.[1]?.function.description).toBe("Echoes back");
  expect(chat.messages[1]?.tool_calls?.[0]?.function.name).toBe("mcp__opendray__everything__echo");
  expect(chat.messages[2]).toEqual({ role: "tool", tool_call_id: "call_1", content: "Echo: hi" });
});

test("a chat model's call of a namespaced tool goes back to Codex as a call with its namespace, streamed or whole", () => {
  const ns = toolNamespaces(codexRequest);
  const t = new ChatToResponsesStream("m", ns);
  const chunk = {
    choices: [
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 0, id: "call_2", function: { name: "mcp__opendray__everything__echo", arguments: "{}" } },
          ],
        },
        finish_reason: "tool_calls",
      },
    ],
  };
  const out = [...t.push({ event: "", data: JSON.stringify(chunk) }), ...t.push({ event: "", data: "[DONE]" })];
  const events = new SseParser().push(out.map((b) => dec.decode(b)).join("")).map((e) => JSON.parse(e.data));
  const item = events.find((e) => e.type === "response.output_item.done").item;
  expect(item).toMatchObject({ type: "function_call", name: "everything__echo", namespace: "mcp__opendray" });

  const whole = chatToResponses(
    {
      choices: [
        {
          message: {
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "exec_command", arguments: "{}" } }],
          },
        },
      ],
    },
    "m",
    ns,
  );
  expect(whole.output[0]).toMatchObject({ name: "exec_command" });
  expect(whole.output[0]).not.toHaveProperty("namespace");
});

test("a namespaced name longer than a chat function name may be is shortened, and still maps back", () => {
  const long = "x".repeat(70);
  const req = {
    ...codexRequest,
    tools: [{ type: "namespace", name: "mcp__s", tools: [{ type: "function", name: long }] }],
  };
  const name = responsesToChat(req, "m").tools?.[0]?.function.name as string;
  expect(name.length).toBeLessThanOrEqual(64);
  expect(toolNamespaces(req).get(name)).toEqual({ namespace: "mcp__s", name: long });
});
