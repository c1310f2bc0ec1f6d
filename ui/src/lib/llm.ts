import type { ModelInfo, ProviderView, UsageView, Wire } from "../../../src/llm/model";
import { request } from "./api";

/**
 * The model-endpoint registry and a session's model usage: the server's own types (src/llm/model,
 * type-only) and its kinds list (src/llm/kinds imports nothing, so only the list reaches the bundle).
 */
export { KINDS } from "../../../src/llm/kinds";
export type { ModelInfo, Wire } from "../../../src/llm/model";
export type Endpoint = ProviderView;
export type LlmUsage = UsageView;

export interface NewEndpoint {
  name: string;
  kind: string;
  baseUrl: string;
  apiKey?: string;
  apiKeyEnv?: string;
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
