import { randomBytes } from "node:crypto";
import type { SseEvent } from "../sse";
import { sseEvent, tryJson } from "../sse";
import {
  type ChatChunk,
  type ChatCompletion,
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  type ChatToolCall,
  ToolCallAccumulator,
} from "./chat";
import { newCallId } from "./ids";

/** OpenAI Responses ⇄ Chat Completions (Codex, which speaks only Responses, on a chat-only endpoint). */

type Part = { type: string; text?: string; image_url?: string };
type Item = {
  type?: string;
  role?: string;
  content?: string | Part[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string | Part[];
  /** A call of a tool inside a `namespace` tool (Codex's MCP tools: namespace `mcp__<server>`). */
  namespace?: string;
};
type FunctionTool = { type: string; name?: string; description?: string; parameters?: unknown };
export interface ResponsesRequest {
  model: string;
  instructions?: string;
  input: string | Item[];
  /** Functions, and `namespace` tools grouping functions (`{type:"namespace",name,description,tools}`). */
  tools?: (FunctionTool & { tools?: FunctionTool[] })[];
  tool_choice?: string | { type: string; name?: string };
  stream?: boolean;
  max_output_tokens?: number;
  temperature?: number;
  top_p?: number;
}

const partsText = (c: string | Part[] | undefined) =>
  typeof c === "string"
    ? c
    : (c ?? [])
        .map((p) => p.text ?? (p.type === "input_image" ? "[image omitted]" : ""))
        .filter(Boolean)
        .join("\n");

/**
 * The chat name of each function inside a `namespace` tool, `<namespace>__<name>` (Codex's older flat
 * MCP naming), and back: a chat call by that name becomes a Responses call with its namespace again.
 */
export type ToolNamespaces = Map<string, { namespace: string; name: string }>;

const MAX_CHAT_NAME = 64;
function flatName(namespace: string, name: string) {
  const flat = `${namespace}__${name}`;
  if (flat.length <= MAX_CHAT_NAME) return flat;
  const hash = Bun.hash(flat).toString(36).slice(0, 8);
  return `${flat.slice(0, MAX_CHAT_NAME - hash.length - 1)}_${hash}`;
}

export function toolNamespaces(req: Pick<ResponsesRequest, "tools">): ToolNamespaces {
  const out: ToolNamespaces = new Map();
  for (const t of req.tools ?? [])
    if (t.type === "namespace" && t.name)
      for (const f of t.tools ?? [])
        if (f.type === "function" && f.name) out.set(flatName(t.name, f.name), { namespace: t.name, name: f.name });
  return out;
}

export function responsesToChat(req: ResponsesRequest, model: string): ChatRequest {
  const messages: ChatMessage[] = [];
  if (req.instructions) messages.push({ role: "system", content: req.instructions });
  const items: Item[] =
    typeof req.input === "string" ? [{ type: "message", role: "user", content: req.input }] : req.input;
  let pendingCalls: ChatToolCall[] | null = null;
  const flush = () => {
    if (!pendingCalls) return;
    const last = messages.at(-1);
    // A call follows the assistant text of the same turn: one chat message with both.
    if (last?.role === "assistant" && !last.tool_calls) last.tool_calls = pendingCalls;
    else messages.push({ role: "assistant", content: null, tool_calls: pendingCalls });
    pendingCalls = null;
  };
  for (const it of items) {
    const type = it.type ?? "message";
    if (type === "function_call" || type === "custom_tool_call") {
      pendingCalls ??= [];
      pendingCalls.push({
        id: it.call_id ?? newCallId(),
        type: "function",
        function: {
          name: it.namespace ? flatName(it.namespace, it.name ?? "") : (it.name ?? ""),
          arguments: it.arguments ?? (it as { input?: string }).input ?? "{}",
        },
      });
      continue;
    }
    flush();
    if (type === "function_call_output" || type === "custom_tool_call_output") {
      messages.push({ role: "tool", tool_call_id: it.call_id ?? "", content: partsText(it.output) });
    } else if (type === "message") {
      const role = it.role === "assistant" ? "assistant" : it.role === "user" ? "user" : "system";
      messages.push({ role, content: partsText(it.content) });
    }
    // reasoning items and the like have no chat form.
  }
  flush();
  const chatTool = (name: string, t: FunctionTool): ChatTool => ({
    type: "function",
    function: { name, description: t.description, parameters: t.parameters ?? { type: "object" } },
  });
  const tools: ChatTool[] = (req.tools ?? []).flatMap((t) => {
    if (t.type === "function" && t.name) return [chatTool(t.name, t)];
    if (t.type !== "namespace" || !t.name) return [];
    const ns = t.name;
    return (t.tools ?? [])
      .filter((f) => f.type === "function" && f.name)
      .map((f) => chatTool(flatName(ns, f.name as string), f));
  });
  const out: ChatRequest = { model, messages };
  if (tools.length) {
    out.tools = tools;
    const tc = req.tool_choice;
    if (tc === "auto" || tc === "none" || tc === "required") out.tool_choice = tc;
    else if (tc && typeof tc === "object" && tc.name)
      out.tool_choice = { type: "function", function: { name: tc.name } };
  }
  if (req.max_output_tokens) out.max_tokens = req.max_output_tokens;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  return out;
}

const rid = (p: string) => `${p}_${randomBytes(12).toString("hex")}`;

function usageOf(u: { input: number; output: number }) {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input + u.output,
  };
}

const messageItem = (id: string, text: string) => ({
  id,
  type: "message",
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text, annotations: [] }],
});
const callItem = (c: { id?: string; name?: string; args: string }, ns?: ToolNamespaces) => {
  const inner = ns?.get(c.name ?? "");
  return {
    id: rid("fc"),
    type: "function_call",
    status: "completed",
    call_id: c.id ?? newCallId(),
    name: inner ? inner.name : (c.name ?? ""),
    ...(inner ? { namespace: inner.namespace } : {}),
    arguments: c.args || "{}",
  };
};

/** A whole chat completion as a Responses object. */
export function chatToResponses(res: ChatCompletion, model: string, ns?: ToolNamespaces) {
  const msg = res.choices?.[0]?.message ?? {};
  const output: unknown[] = [];
  if (msg.content) output.push(messageItem(rid("msg"), msg.content));
  for (const tc of msg.tool_calls ?? [])
    output.push(callItem({ id: tc.id, name: tc.function.name, args: tc.function.arguments }, ns));
  const usage = { input: res.usage?.prompt_tokens ?? 0, output: res.usage?.completion_tokens ?? 0 };
  return {
    id: rid("resp"),
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: "completed",
    model,
    output,
    usage: usageOf(usage),
  };
}

/** Chat completion chunks in, Responses stream events out. */
export class ChatToResponsesStream {
  private seq = 0;
  private started = false;
  private done = false;
  private readonly id = rid("resp");
  private readonly created = Math.floor(Date.now() / 1000);
  private text: { id: string; index: number; text: string } | null = null;
  private readonly output: unknown[] = [];
  private readonly calls = new ToolCallAccumulator();
  readonly usage = { input: 0, output: 0 };

  constructor(
    private readonly model: string,
    private readonly ns?: ToolNamespaces,
  ) {}

  private ev(type: string, d: Record<string, unknown>) {
    return sseEvent(type, { type, sequence_number: this.seq++, ...d });
  }

  private base(status: string) {
    return { id: this.id, object: "response", created_at: this.created, status, model: this.model };
  }

  private start(out: Uint8Array[]) {
    if (this.started) return;
    this.started = true;
    out.push(
      this.ev("response.created", { response: { ...this.base("in_progress"), output: [] } }),
      this.ev("response.in_progress", { response: { ...this.base("in_progress"), output: [] } }),
    );
  }

  private closeText(out: Uint8Array[]) {
    const t = this.text;
    if (!t) return;
    const item = messageItem(t.id, t.text);
    const where = { item_id: t.id, output_index: t.index, content_index: 0 };
    out.push(
      this.ev("response.output_text.done", { ...where, text: t.text }),
      this.ev("response.content_part.done", { ...where, part: item.content[0] }),
      this.ev("response.output_item.done", { output_index: t.index, item }),
    );
    this.output.push(item);
    this.text = null;
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
        this.ev("response.failed", {
          response: {
            ...this.base("failed"),
            output: [],
            error: { code: "server_error", message: chunk.error.message ?? "upstream error" },
          },
        }),
      );
      this.done = true;
      return out;
    }
    if (chunk.usage) {
      this.usage.input = chunk.usage.prompt_tokens ?? this.usage.input;
      this.usage.output = chunk.usage.completion_tokens ?? this.usage.output;
    }
    for (const choice of chunk.choices ?? []) {
      const d = choice.delta ?? {};
      if (d.content) {
        if (!this.text) {
          this.text = { id: rid("msg"), index: this.output.length, text: "" };
          const item = { ...messageItem(this.text.id, ""), status: "in_progress", content: [] };
          out.push(
            this.ev("response.output_item.added", { output_index: this.text.index, item }),
            this.ev("response.content_part.added", {
              item_id: this.text.id,
              output_index: this.text.index,
              content_index: 0,
              part: { type: "output_text", text: "", annotations: [] },
            }),
          );
        }
        this.text.text += d.content;
        out.push(
          this.ev("response.output_text.delta", {
            item_id: this.text.id,
            output_index: this.text.index,
            content_index: 0,
            delta: d.content,
          }),
        );
      }
      this.calls.add(d.tool_calls, choice.message?.tool_calls);
    }
    return out;
  }

  end(): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.done) return out;
    this.done = true;
    this.start(out);
    this.closeText(out);
    for (const call of this.calls.finished()) {
      const item = callItem(call, this.ns);
      const index = this.output.length;
      out.push(
        this.ev("response.output_item.added", {
          output_index: index,
          item: { ...item, status: "in_progress", arguments: "" },
        }),
        this.ev("response.function_call_arguments.delta", {
          item_id: item.id,
          output_index: index,
          delta: item.arguments,
        }),
        this.ev("response.function_call_arguments.done", {
          item_id: item.id,
          output_index: index,
          arguments: item.arguments,
        }),
        this.ev("response.output_item.done", { output_index: index, item }),
      );
      this.output.push(item);
    }
    out.push(
      this.ev("response.completed", {
        response: { ...this.base("completed"), output: this.output, usage: usageOf(this.usage) },
      }),
    );
    return out;
  }
}
