import type { SseEvent } from "../sse";
import { sseEvent, tryJson } from "../sse";
import {
  type ChatChunk,
  type ChatCompletion,
  type ChatContentPart,
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  ToolCallAccumulator,
} from "./chat";
import { fromAnthropicId, messageId, newCallId, toAnthropicId } from "./ids";

/** Anthropic Messages ⇄ OpenAI Chat Completions (Claude Code on a chat-only endpoint). */

type Block = {
  type: string;
  text?: string;
  thinking?: string;
  source?: { type: string; media_type?: string; data?: string; url?: string };
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | Block[];
  is_error?: boolean;
};
type AnthropicMessage = { role: string; content: string | Block[] };
export interface AnthropicRequest {
  model: string;
  max_tokens?: number;
  system?: string | Block[];
  messages: AnthropicMessage[];
  tools?: { name: string; description?: string; input_schema?: unknown; type?: string }[];
  tool_choice?: { type: "auto" | "any" | "tool" | "none"; name?: string };
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
}

export const IMAGE_PLACEHOLDER = "[image omitted: this model cannot read images]";

const textOf = (c: string | Block[] | undefined): string =>
  typeof c === "string"
    ? c
    : (c ?? [])
        .map((b) => (b.type === "text" ? (b.text ?? "") : b.type === "image" ? IMAGE_PLACEHOLDER : ""))
        .filter(Boolean)
        .join("\n");

function imagePart(b: Block, vision: boolean): ChatContentPart {
  if (!vision || !b.source) return { type: "text", text: IMAGE_PLACEHOLDER };
  const url = b.source.type === "base64" ? `data:${b.source.media_type};base64,${b.source.data}` : (b.source.url ?? "");
  return { type: "image_url", image_url: { url } };
}

function userMessages(content: string | Block[], vision: boolean): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const out: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  // Tool results first: OpenAI wants them right after the assistant turn that asked for them.
  for (const b of content) {
    if (b.type === "tool_result") {
      const text = textOf(b.content);
      out.push({
        role: "tool",
        tool_call_id: fromAnthropicId(b.tool_use_id ?? ""),
        content: b.is_error ? `ERROR: ${text}` : text,
      });
    } else if (b.type === "text" && b.text) parts.push({ type: "text", text: b.text });
    else if (b.type === "image") parts.push(imagePart(b, vision));
  }
  if (parts.length) {
    const onlyText = parts.every((p) => p.type === "text");
    out.push({
      role: "user",
      content: onlyText ? parts.map((p) => (p as { text: string }).text).join("\n") : parts,
    });
  }
  return out;
}

function assistantMessage(content: string | Block[]): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  const text = content
    .filter((b) => b.type === "text")
    .map((b) => b.text ?? "")
    .join("");
  const reasoning = content
    .filter((b) => b.type === "thinking")
    .map((b) => b.thinking ?? "")
    .join("");
  const calls = content
    .filter((b) => b.type === "tool_use")
    .map((b) => ({
      id: fromAnthropicId(b.id ?? newCallId()),
      type: "function" as const,
      function: { name: b.name ?? "", arguments: JSON.stringify(b.input ?? {}) },
    }));
  return {
    role: "assistant",
    content: text || null,
    ...(calls.length ? { tool_calls: calls } : {}),
    ...(reasoning ? { reasoning_content: reasoning } : {}),
  };
}

function toolChoice(tc: AnthropicRequest["tool_choice"]): ChatRequest["tool_choice"] {
  if (!tc) return undefined;
  if (tc.type === "any") return "required";
  if (tc.type === "none") return "none";
  if (tc.type === "tool" && tc.name) return { type: "function", function: { name: tc.name } };
  return "auto";
}

export function anthropicToChat(req: AnthropicRequest, model: string, opts: { vision: boolean }): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = textOf(req.system);
  if (system) messages.push({ role: "system", content: system });
  for (const m of req.messages) {
    // Claude Code puts role:"system" entries in the middle of the conversation.
    if (m.role === "system") messages.push({ role: "system", content: textOf(m.content) });
    else if (m.role === "assistant") messages.push(assistantMessage(m.content));
    else messages.push(...userMessages(m.content, opts.vision));
  }
  const tools: ChatTool[] | undefined = req.tools
    ?.filter((t) => t.input_schema || !t.type)
    .map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.input_schema ?? { type: "object" } },
    }));
  const out: ChatRequest = { model, messages };
  if (req.max_tokens) out.max_tokens = req.max_tokens;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.stop_sequences?.length) out.stop = req.stop_sequences;
  if (tools?.length) {
    out.tools = tools;
    const choice = toolChoice(req.tool_choice);
    if (choice) out.tool_choice = choice;
  }
  if (req.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  return out;
}

export function stopReason(finish: string | null | undefined, sawTools: boolean): string {
  if (finish === "tool_calls" || finish === "function_call") return "tool_use";
  if (finish === "length") return "max_tokens";
  return sawTools ? "tool_use" : "end_turn";
}

const parseArgs = (s: string) => tryJson(s || "{}") ?? {};

/** A whole Chat completion as an Anthropic message. */
export function chatToAnthropic(res: ChatCompletion, model: string) {
  const choice = res.choices?.[0];
  const msg = choice?.message ?? {};
  const content: Record<string, unknown>[] = [];
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (reasoning) content.push({ type: "thinking", thinking: reasoning, signature: "" });
  if (msg.content) content.push({ type: "text", text: msg.content });
  for (const tc of msg.tool_calls ?? [])
    content.push({
      type: "tool_use",
      id: toAnthropicId(tc.id),
      name: tc.function.name,
      input: parseArgs(tc.function.arguments),
    });
  return {
    id: messageId(),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopReason(choice?.finish_reason, !!msg.tool_calls?.length),
    stop_sequence: null,
    usage: { input_tokens: res.usage?.prompt_tokens ?? 0, output_tokens: res.usage?.completion_tokens ?? 0 },
  };
}

type Open = { kind: "text" | "thinking"; index: number } | null;

/** Chat completion chunks in, Anthropic stream events out. */
export class ChatToAnthropicStream {
  private started = false;
  private next = 0;
  private open: Open = null;
  /** Tool calls are sent whole at the end: arguments may come in any chunk, the last one included. */
  private readonly calls = new ToolCallAccumulator();
  private finish: string | null = null;
  private done = false;
  readonly usage = { input: 0, output: 0 };

  constructor(private readonly model: string) {}

  private start(out: Uint8Array[]) {
    if (this.started) return;
    this.started = true;
    out.push(
      sseEvent("message_start", {
        type: "message_start",
        message: {
          id: messageId(),
          type: "message",
          role: "assistant",
          model: this.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      }),
    );
  }

  private close(out: Uint8Array[]) {
    if (!this.open) return;
    out.push(sseEvent("content_block_stop", { type: "content_block_stop", index: this.open.index }));
    this.open = null;
  }

  private openBlock(out: Uint8Array[], kind: "text" | "thinking") {
    if (this.open?.kind === kind) return this.open.index;
    this.close(out);
    const index = this.next++;
    this.open = { kind, index };
    const block = kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" };
    out.push(sseEvent("content_block_start", { type: "content_block_start", index, content_block: block }));
    return index;
  }

  push(ev: SseEvent): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.done) return out;
    if (ev.data.trim() === "[DONE]") return this.end();
    const chunk = tryJson(ev.data) as ChatChunk | null;
    if (!chunk) return out;
    this.start(out);
    if (chunk.error) {
      out.push(
        sseEvent("error", {
          type: "error",
          error: { type: "api_error", message: chunk.error.message ?? "upstream error" },
        }),
      );
      return out;
    }
    if (chunk.usage) {
      this.usage.input = chunk.usage.prompt_tokens ?? this.usage.input;
      this.usage.output = chunk.usage.completion_tokens ?? this.usage.output;
    }
    for (const choice of chunk.choices ?? []) {
      const d = choice.delta ?? {};
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (reasoning) {
        const index = this.openBlock(out, "thinking");
        out.push(
          sseEvent("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "thinking_delta", thinking: reasoning },
          }),
        );
      }
      if (d.content) {
        const index = this.openBlock(out, "text");
        out.push(
          sseEvent("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "text_delta", text: d.content },
          }),
        );
      }
      this.calls.add(d.tool_calls, choice.message?.tool_calls);
      if (choice.finish_reason) this.finish = choice.finish_reason;
    }
    return out;
  }

  end(): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.done) return out;
    this.done = true;
    this.start(out);
    this.close(out);
    const calls = this.calls.finished();
    for (const { id, name, args } of calls) {
      const index = this.next++;
      out.push(
        sseEvent("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: toAnthropicId(id), name, input: {} },
        }),
        sseEvent("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: args },
        }),
        sseEvent("content_block_stop", { type: "content_block_stop", index }),
      );
    }
    out.push(
      sseEvent("message_delta", {
        type: "message_delta",
        delta: { stop_reason: stopReason(this.finish, calls.length > 0), stop_sequence: null },
        usage: { input_tokens: this.usage.input, output_tokens: this.usage.output },
      }),
      sseEvent("message_stop", { type: "message_stop" }),
    );
    return out;
  }
}
