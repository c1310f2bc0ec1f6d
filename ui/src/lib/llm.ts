import { request } from "./api";

/** The model-endpoint registry and a session's model usage (src/llm on the server). */
export type Wire = "openaiChat" | "openaiResponses" | "anthropicMessages" | "geminiGenerate";
export const KINDS = [
  "openai-compat",
  "ollama",
  "lmstudio",
  "llamacpp",
  "vllm",
  "groq",
  "openrouter",
  "gemini",
  "anthropic",
  "openai",
  "custom",
] as const;

export interface ModelInfo {
  id: string;
  contextWindow?: number;
  maxOutput?: number;
  vision?: boolean;
  tools?: boolean;
}

export interface Endpoint {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  apiKeyEnv: string | null;
  apiKeySet: boolean;
  enabled: boolean;
  wires: Record<Wire, { ok: boolean; status: number; ms: number }> | null;
  models: ModelInfo[] | null;
}

export interface NewEndpoint {
  name: string;
  kind: string;
  baseUrl: string;
  apiKey?: string;
  apiKeyEnv?: string;
}

export interface LlmUsage {
  routed: boolean;
  model: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
  fallbacks: number;
  lastError: string | null;
  lastModel: string | null;
}

const base = "/api/llm-providers";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const llmApi = {
  list: async () => (await request<{ providers: Endpoint[] }>("GET", base)).providers,
  create: (body: NewEndpoint) => request<Endpoint>("POST", base, body),
  toggle: (id: string, enabled: boolean) => request<Endpoint>("PATCH", `${one(id)}/toggle`, { enabled }),
  remove: (id: string) => request<unknown>("DELETE", one(id)),
  probe: (id: string) =>
    request<{ wires: NonNullable<Endpoint["wires"]>; models: ModelInfo[] }>("POST", `${one(id)}/probe`),
  models: async (id: string) => (await request<{ models: ModelInfo[] }>("GET", `${one(id)}/models`)).models,
  usage: (sessionId: string) => request<LlmUsage>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/llm-usage`),
};

export const WIRE_LABELS: Record<Wire, string> = {
  openaiChat: "OpenAI Chat",
  openaiResponses: "Responses",
  anthropicMessages: "Anthropic",
  geminiGenerate: "Gemini",
};
