/** The OpenAI Chat Completions shapes the translators read and write. */
export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ChatContentPart[] | null;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  reasoning_content?: string;
}

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: unknown };
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: ChatTool[];
  tool_choice?: "auto" | "none" | "required" | { type: "function"; function: { name: string } };
}

export interface ChatDeltaToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatChunk {
  id?: string;
  choices?: {
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: ChatDeltaToolCall[];
    };
    message?: { content?: string | null; tool_calls?: ChatDeltaToolCall[] };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

export interface ChatCompletion {
  id?: string;
  choices?: {
    message?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: ChatToolCall[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

type PartialCall = { id?: string; name?: string; args: string };

function gather(into: Map<number, PartialCall>, tcs: ChatDeltaToolCall[] | undefined) {
  for (const [i, tc] of (tcs ?? []).entries()) {
    const index = tc.index ?? i;
    const c = into.get(index) ?? { args: "" };
    if (tc.id) c.id = tc.id;
    if (tc.function?.name) c.name = tc.function.name;
    if (tc.function?.arguments) c.args += tc.function.arguments;
    into.set(index, c);
  }
}

/**
 * Tool calls assembled from stream deltas, by index. Some servers repeat the finished calls, whole, in
 * the final chunk (`message.tool_calls`): those count where the deltas carried nothing.
 */
export class ToolCallAccumulator {
  private readonly streamed = new Map<number, PartialCall>();
  private readonly whole = new Map<number, PartialCall>();

  add(deltas: ChatDeltaToolCall[] | undefined, final: ChatDeltaToolCall[] | undefined) {
    gather(this.streamed, deltas);
    gather(this.whole, final);
  }

  /** The named calls in index order, arguments "{}" when none came. */
  finished(): { id?: string; name: string; args: string }[] {
    const indexes = [...new Set([...this.streamed.keys(), ...this.whole.keys()])].sort((a, b) => a - b);
    return indexes.flatMap((at) => {
      const s = this.streamed.get(at);
      const w = this.whole.get(at);
      const name = s?.name ?? w?.name;
      return name ? [{ id: s?.id ?? w?.id, name, args: s?.args || w?.args || "{}" }] : [];
    });
  }
}
