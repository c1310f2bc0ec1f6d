import type { SseEvent } from "../sse";
import { sseData, tryJson } from "../sse";
import {
  type ChatChunk,
  type ChatCompletion,
  type ChatMessage,
  type ChatRequest,
  type ChatTool,
  type ChatToolCall,
  ToolCallAccumulator,
} from "./chat";

/** Gemini generateContent ⇄ OpenAI Chat Completions (Gemini CLI on any endpoint). */

type GPart = {
  text?: string;
  thought?: boolean;
  functionCall?: { id?: string; name: string; args?: unknown };
  functionResponse?: { id?: string; name: string; response?: unknown };
  inlineData?: unknown;
};
type GContent = { role?: string; parts?: GPart[] };
export interface GeminiRequest {
  contents: GContent[];
  systemInstruction?: GContent | string;
  tools?: {
    functionDeclarations?: {
      name: string;
      description?: string;
      parameters?: unknown;
      parametersJsonSchema?: unknown;
    }[];
  }[];
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: { temperature?: number; topP?: number; maxOutputTokens?: number; stopSequences?: string[] };
}

/** Gemini's OpenAPI-style schemas spell types in capitals (OBJECT, STRING); JSON Schema wants lowercase. */
function jsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (!s || typeof s !== "object") return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s))
    out[k] = k === "type" && typeof v === "string" ? v.toLowerCase() : jsonSchema(v);
  return out;
}

const texts = (parts: GPart[] | undefined) =>
  (parts ?? [])
    .filter((p) => typeof p.text === "string" && !p.thought)
    .map((p) => p.text)
    .join("");

export function geminiToChat(req: GeminiRequest, model: string, stream: boolean): ChatRequest {
  const messages: ChatMessage[] = [];
  const sys = typeof req.systemInstruction === "string" ? req.systemInstruction : texts(req.systemInstruction?.parts);
  if (sys) messages.push({ role: "system", content: sys });
  // Gemini ties a response to its call by name (ids are optional): the oldest open call of that name.
  const open: { id: string; name: string }[] = [];
  let n = 0;
  for (const c of req.contents) {
    const parts = c.parts ?? [];
    if (c.role === "model") {
      const calls: ChatToolCall[] = parts
        .filter((p) => p.functionCall)
        .map((p) => {
          const fc = p.functionCall as NonNullable<GPart["functionCall"]>;
          const id = fc.id || `call_g${n++}`;
          open.push({ id, name: fc.name });
          return { id, type: "function", function: { name: fc.name, arguments: JSON.stringify(fc.args ?? {}) } };
        });
      messages.push({
        role: "assistant",
        content: texts(parts) || null,
        ...(calls.length ? { tool_calls: calls } : {}),
      });
      continue;
    }
    for (const p of parts.filter((x) => x.functionResponse)) {
      const fr = p.functionResponse as NonNullable<GPart["functionResponse"]>;
      const at = open.findIndex((o) => (fr.id ? o.id === fr.id : o.name === fr.name));
      const id = at >= 0 ? (open.splice(at, 1)[0]?.id ?? "") : (fr.id ?? `call_g${n++}`);
      messages.push({ role: "tool", tool_call_id: id, content: JSON.stringify(fr.response ?? {}) });
    }
    const text = texts(parts);
    const images = parts.some((p) => p.inlineData);
    if (text || images) messages.push({ role: "user", content: images ? `${text}\n[image omitted]`.trim() : text });
  }
  const tools: ChatTool[] = (req.tools ?? []).flatMap((t) =>
    (t.functionDeclarations ?? []).map((f) => ({
      type: "function" as const,
      function: {
        name: f.name,
        description: f.description,
        parameters: f.parametersJsonSchema ?? jsonSchema(f.parameters) ?? { type: "object" },
      },
    })),
  );
  const out: ChatRequest = { model, messages };
  if (tools.length) {
    out.tools = tools;
    const mode = req.toolConfig?.functionCallingConfig?.mode;
    if (mode === "ANY") out.tool_choice = "required";
    else if (mode === "NONE") out.tool_choice = "none";
  }
  const g = req.generationConfig ?? {};
  if (g.maxOutputTokens) out.max_tokens = g.maxOutputTokens;
  if (g.temperature !== undefined) out.temperature = g.temperature;
  if (g.topP !== undefined) out.top_p = g.topP;
  if (g.stopSequences?.length) out.stop = g.stopSequences;
  if (stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  return out;
}

const finishOf = (f: string | null | undefined) => (f === "length" ? "MAX_TOKENS" : "STOP");
const parseArgs = (s: string) => tryJson(s || "{}") ?? {};

function usageMetadata(u: { input: number; output: number }) {
  return { promptTokenCount: u.input, candidatesTokenCount: u.output, totalTokenCount: u.input + u.output };
}

export function chatToGemini(res: ChatCompletion, model: string) {
  const choice = res.choices?.[0];
  const msg = choice?.message ?? {};
  const parts: GPart[] = [];
  if (msg.content) parts.push({ text: msg.content });
  for (const tc of msg.tool_calls ?? [])
    parts.push({ functionCall: { name: tc.function.name, args: parseArgs(tc.function.arguments) } });
  if (!parts.length) parts.push({ text: "" });
  return {
    candidates: [{ content: { role: "model", parts }, finishReason: finishOf(choice?.finish_reason), index: 0 }],
    usageMetadata: usageMetadata({ input: res.usage?.prompt_tokens ?? 0, output: res.usage?.completion_tokens ?? 0 }),
    modelVersion: model,
  };
}

/** Chat completion chunks in, Gemini's SSE (one GenerateContentResponse per event) out. */
export class ChatToGeminiStream {
  private done = false;
  private finish: string | null = null;
  private readonly calls = new ToolCallAccumulator();
  readonly usage = { input: 0, output: 0 };

  constructor(private readonly model: string) {}

  private event(parts: GPart[], finish?: string) {
    return sseData({
      candidates: [{ content: { role: "model", parts }, ...(finish ? { finishReason: finish } : {}), index: 0 }],
      ...(finish ? { usageMetadata: usageMetadata(this.usage) } : {}),
      modelVersion: this.model,
    });
  }

  push(ev: SseEvent): Uint8Array[] {
    if (this.done) return [];
    if (ev.data.trim() === "[DONE]") return this.end();
    const chunk = tryJson(ev.data) as ChatChunk | null;
    if (!chunk) return [];
    if (chunk.error) {
      this.done = true;
      return [sseData({ error: { code: 500, message: chunk.error.message ?? "upstream error", status: "INTERNAL" } })];
    }
    if (chunk.usage) {
      this.usage.input = chunk.usage.prompt_tokens ?? this.usage.input;
      this.usage.output = chunk.usage.completion_tokens ?? this.usage.output;
    }
    const out: Uint8Array[] = [];
    for (const choice of chunk.choices ?? []) {
      const d = choice.delta ?? {};
      if (d.content) out.push(this.event([{ text: d.content }]));
      this.calls.add(d.tool_calls, choice.message?.tool_calls);
      if (choice.finish_reason) this.finish = choice.finish_reason;
    }
    return out;
  }

  end(): Uint8Array[] {
    if (this.done) return [];
    this.done = true;
    const parts: GPart[] = this.calls
      .finished()
      .map(({ name, args }) => ({ functionCall: { name, args: parseArgs(args) } }));
    return [this.event(parts.length ? parts : [{ text: "" }], finishOf(this.finish))];
  }
}
