import { expect, test } from "bun:test";
import { SseParser } from "../sse";
import { ChatToGeminiStream, geminiToChat } from "./gemini-chat";
import { ChatToResponsesStream, responsesToChat } from "./responses-chat";

const dec = new TextDecoder();
const delta = (d: unknown, finish: string | null = null) => ({
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});
function run(t: ChatToResponsesStream | ChatToGeminiStream, chunks: unknown[]) {
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(...t.push({ event: "", data: JSON.stringify(c) }));
  out.push(...t.push({ event: "", data: "[DONE]" }));
  return new SseParser().push(out.map((b) => dec.decode(b)).join("")).map((e) => JSON.parse(e.data));
}

test("Codex's Responses request becomes chat: instructions and developer turns as system, calls and outputs paired", () => {
  const chat = responsesToChat(
    {
      model: "gpt-5",
      instructions: "You are Codex.",
      stream: true,
      tool_choice: "auto",
      tools: [
        { type: "function", name: "exec_command", description: "run", parameters: { type: "object" } },
        { type: "web_search" },
      ],
      input: [
        { type: "message", role: "developer", content: [{ type: "input_text", text: "sandbox rules" }] },
        { type: "message", role: "user", content: [{ type: "input_text", text: "make a file" }] },
        { type: "reasoning" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "running" }] },
        { type: "function_call", call_id: "call_1", name: "exec_command", arguments: '{"cmd":"touch a"}' },
        { type: "function_call_output", call_id: "call_1", output: "done" },
      ],
    },
    "qwen3",
  );
  expect(chat.messages).toEqual([
    { role: "system", content: "You are Codex." },
    { role: "system", content: "sandbox rules" },
    { role: "user", content: "make a file" },
    {
      role: "assistant",
      content: "running",
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "exec_command", arguments: '{"cmd":"touch a"}' } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "done" },
  ]);
  expect(chat.tools?.map((t) => t.function.name)).toEqual(["exec_command"]);
  expect(chat.tool_choice).toBe("auto");
  expect(chat.model).toBe("qwen3");
});

test("a chat stream becomes Responses events: text item, then the function call with its whole arguments, then completed", () => {
  const ev = run(new ChatToResponsesStream("m"), [
    delta({ content: "Run" }),
    delta({ content: "ning." }),
    delta({ tool_calls: [{ index: 0, id: "call_9", function: { name: "exec_command", arguments: '{"cmd":' } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }, "tool_calls"),
    { choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } },
  ]);
  const types = ev.map((e) => e.type);
  expect(types[0]).toBe("response.created");
  expect(types.filter((t) => t === "response.output_text.delta")).toHaveLength(2);
  expect(ev.find((e) => e.type === "response.output_text.done").text).toBe("Running.");
  const call = ev.find((e) => e.type === "response.output_item.done" && e.item.type === "function_call").item;
  expect(call).toMatchObject({ call_id: "call_9", name: "exec_command", arguments: '{"cmd":"ls"}' });
  const done = ev.at(-1);
  expect(done.type).toBe("response.completed");
  expect(done.response.output).toHaveLength(2);
  expect(done.response.usage).toMatchObject({ input_tokens: 5, output_tokens: 2, total_tokens: 7 });
  expect(ev.map((e) => e.sequence_number)).toEqual(ev.map((_, i) => i));
});

test("Gemini contents become chat, responses tied to their calls by name; a chat stream becomes Gemini chunks", () => {
  const chat = geminiToChat(
    {
      systemInstruction: { parts: [{ text: "You are Gemini CLI." }] },
      contents: [
        { role: "user", parts: [{ text: "list files" }] },
        {
          role: "model",
          parts: [{ text: "ok", thought: false }, { functionCall: { name: "ls", args: { dir: "." } } }],
        },
        { role: "user", parts: [{ functionResponse: { name: "ls", response: { output: "a b" } } }] },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: "ls", parameters: { type: "OBJECT", properties: { dir: { type: "STRING" } } } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "ANY" } },
      generationConfig: { maxOutputTokens: 64, temperature: 0 },
    },
    "m",
    true,
  );
  const callId = chat.messages[2]?.tool_calls?.[0]?.id;
  expect(chat.messages).toEqual([
    { role: "system", content: "You are Gemini CLI." },
    { role: "user", content: "list files" },
    {
      role: "assistant",
      content: "ok",
      tool_calls: [{ id: callId as string, type: "function", function: { name: "ls", arguments: '{"dir":"."}' } }],
    },
    { role: "tool", tool_call_id: callId as string, content: '{"output":"a b"}' },
  ]);
  expect(chat.tools?.[0]?.function.parameters).toEqual({ type: "object", properties: { dir: { type: "string" } } });
  expect(chat.tool_choice).toBe("required");
  expect(chat.max_tokens).toBe(64);

  const ev = run(new ChatToGeminiStream("m"), [
    delta({ content: "Hi" }),
    delta({ tool_calls: [{ index: 0, id: "c", function: { name: "ls", arguments: "" } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"dir":"/"}' } }] }, "tool_calls"),
    { choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } },
  ]);
  expect(ev[0].candidates[0].content.parts).toEqual([{ text: "Hi" }]);
  expect(ev.at(-1).candidates[0]).toMatchObject({
    content: { role: "model", parts: [{ functionCall: { name: "ls", args: { dir: "/" } } }] },
    finishReason: "STOP",
  });
  expect(ev.at(-1).usageMetadata).toEqual({ promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 });
});
