import { expect, test } from "bun:test";
import { SseParser } from "../sse";
import { type AnthropicRequest, anthropicToChat, ChatToAnthropicStream, IMAGE_PLACEHOLDER } from "./anthropic-chat";
import { fromAnthropicId, toAnthropicId } from "./ids";

const dec = new TextDecoder();
const events = (bytes: Uint8Array[]) =>
  new SseParser().push(bytes.map((b) => dec.decode(b)).join("")).map((e) => JSON.parse(e.data));

function run(chunks: unknown[]) {
  const t = new ChatToAnthropicStream("m");
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(...t.push({ event: "", data: JSON.stringify(c) }));
  out.push(...t.push({ event: "", data: "[DONE]" }));
  return events(out);
}

const delta = (d: unknown, finish: string | null = null) => ({
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});

test("a Claude request becomes a chat request: system first, mid-conversation system kept, tool results right after the call", () => {
  const callId = toAnthropicId("call_abc");
  const req: AnthropicRequest = {
    model: "claude-sonnet",
    max_tokens: 100,
    system: [
      { type: "text", text: "You are Claude." },
      { type: "text", text: "Be brief." },
    ],
    stream: true,
    stop_sequences: ["END"],
    tools: [{ name: "Write", description: "write a file", input_schema: { type: "object" } }],
    tool_choice: { type: "tool", name: "Write" },
    messages: [
      { role: "user", content: "make a file" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "plan" },
          { type: "text", text: "ok" },
          { type: "tool_use", id: callId, name: "Write", input: { file_path: "/a" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "text", text: "and then?" },
          { type: "tool_result", tool_use_id: callId, content: [{ type: "text", text: "denied" }], is_error: true },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
        ],
      },
      { role: "system", content: "a reminder in the middle" },
    ],
  };
  const chat = anthropicToChat(req, "qwen3", { vision: false });
  expect(chat.model).toBe("qwen3");
  expect(chat.stop).toEqual(["END"]);
  expect(chat.stream_options).toEqual({ include_usage: true });
  expect(chat.tool_choice).toEqual({ type: "function", function: { name: "Write" } });
  expect(chat.tools?.[0]).toEqual({
    type: "function",
    function: { name: "Write", description: "write a file", parameters: { type: "object" } },
  });
  expect(chat.messages).toEqual([
    { role: "system", content: "You are Claude.\nBe brief." },
    { role: "user", content: "make a file" },
    {
      role: "assistant",
      content: "ok",
      reasoning_content: "plan",
      tool_calls: [{ id: "call_abc", type: "function", function: { name: "Write", arguments: '{"file_path":"/a"}' } }],
    },
    { role: "tool", tool_call_id: "call_abc", content: "ERROR: denied" },
    { role: "user", content: `and then?\n${IMAGE_PLACEHOLDER}` },
    { role: "system", content: "a reminder in the middle" },
  ]);
  const seeing = anthropicToChat(req, "llava", { vision: true });
  expect(seeing.messages[4]?.content).toEqual([
    { type: "text", text: "and then?" },
    { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
  ]);
  expect(anthropicToChat({ ...req, tool_choice: { type: "any" } }, "m", { vision: false }).tool_choice).toBe(
    "required",
  );
});

test("tool-call ids map both ways, whatever the upstream's id looks like", () => {
  for (const id of ["call_1", "weird id/with:chars", "toolu_native"]) {
    const a = toAnthropicId(id);
    expect(a).toMatch(/^toolu_[A-Za-z0-9_-]+$/);
    expect(fromAnthropicId(a)).toBe(id);
  }
  expect(toAnthropicId(undefined)).toMatch(/^toolu_[0-9a-f]{24}$/);
});

test("a streamed chat reply with text and split tool-call arguments becomes Claude's events", () => {
  const ev = run([
    delta({ role: "assistant", content: "" }),
    delta({ reasoning_content: "hmm" }),
    delta({ content: "Hel" }),
    delta({ content: "lo" }),
    delta({ tool_calls: [{ index: 0, id: "call_A", type: "function", function: { name: "Write", arguments: "" } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"file_' } }] }),
    delta({ tool_calls: [{ index: 1, id: "call_B", function: { name: "Read", arguments: '{"p":1}' } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: 'path":"/x"}' } }] }),
    delta({}, "tool_calls"),
    { choices: [], usage: { prompt_tokens: 11, completion_tokens: 4 } },
  ]);
  expect(ev.map((e) => e.type)).toEqual([
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  expect(ev[1].content_block.type).toBe("thinking");
  expect(ev[5].delta).toEqual({ type: "text_delta", text: "Hel" });
  expect(ev[8].content_block).toEqual({ type: "tool_use", id: toAnthropicId("call_A"), name: "Write", input: {} });
  expect(ev[9].delta).toEqual({ type: "input_json_delta", partial_json: '{"file_path":"/x"}' });
  expect(ev[11].content_block.name).toBe("Read");
  expect(ev[12].delta.partial_json).toBe('{"p":1}');
  expect(ev.map((e) => e.index).filter((i) => i !== undefined)).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  expect(ev[14].delta.stop_reason).toBe("tool_use");
  expect(ev[14].usage).toEqual({ input_tokens: 11, output_tokens: 4 });
});

test("tool-call arguments sent only in the final chunk still reach Claude; a call with none gets {}", () => {
  const ev = run([
    delta({ tool_calls: [{ index: 0, id: "call_A", function: { name: "Write", arguments: "" } }] }),
    delta({ tool_calls: [{ index: 1, id: "call_B", function: { name: "Noop" } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] }, "tool_calls"),
  ]);
  const inputs = ev.filter((e) => e.delta?.type === "input_json_delta").map((e) => e.delta.partial_json);
  expect(inputs).toEqual(['{"a":1}', "{}"]);
  // Whole calls repeated in a final `message` (some servers) are used where the deltas had none.
  const whole = run([
    delta({ tool_calls: [{ index: 0, id: "call_A", function: { name: "Write" } }] }),
    {
      choices: [
        {
          index: 0,
          message: { tool_calls: [{ index: 0, id: "call_A", function: { name: "Write", arguments: '{"b":2}' } }] },
          finish_reason: "tool_calls",
        },
      ],
    },
  ]);
  expect(whole.filter((e) => e.delta?.type === "input_json_delta").map((e) => e.delta.partial_json)).toEqual([
    '{"b":2}',
  ]);
});

test("stop reasons map: length is max_tokens, stop is end_turn; a stream without [DONE] still ends properly", () => {
  expect(run([delta({ content: "x" }, "length")]).at(-2).delta.stop_reason).toBe("max_tokens");
  expect(run([delta({ content: "x" }, "stop")]).at(-2).delta.stop_reason).toBe("end_turn");
  const t = new ChatToAnthropicStream("m");
  const out = [...t.push({ event: "", data: JSON.stringify(delta({ content: "cut" })) }), ...t.end()];
  expect(
    events(out)
      .map((e) => e.type)
      .slice(-3),
  ).toEqual(["content_block_stop", "message_delta", "message_stop"]);
  // Malformed chunks are skipped.
  expect(run(["not json" as unknown, delta({ content: "ok" }, "stop")]).some((e) => e.delta?.text === "ok")).toBe(true);
});
