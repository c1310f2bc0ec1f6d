import type { ModelInfo, ProviderKind, Wire, WireMap } from "./model";

/** What the gateway and the probe need to reach one registered endpoint. */
export interface Upstream {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  /** The key (from apiKeyEnv or the sealed apiKey); null when the endpoint needs none. */
  key: string | null;
  headers: Record<string, string>;
  wires: WireMap | null;
  /** From the last probe, when there was one. */
  models?: ModelInfo[] | null;
}

/** Whether images may go to this model; without a probe's word only the big hosted APIs are assumed to see. */
export function seesImages(u: Upstream, model: string): boolean {
  const info = u.models?.find((m) => m.id === model);
  if (info?.vision !== undefined) return info.vision;
  return ["openai", "anthropic", "gemini", "openrouter"].includes(u.kind);
}

/** The base URL without trailing slashes and without a final /v1 (both spellings are accepted). */
export function rootOf(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** Where the OpenAI-style paths (/chat/completions, /responses, /models) live. */
export function openaiBase(u: Pick<Upstream, "kind" | "baseUrl">): string {
  const root = rootOf(u.baseUrl);
  return u.kind === "gemini" && !root.endsWith("/openai") ? `${root}/v1beta/openai` : `${root}/v1`;
}

export function wireUrl(u: Upstream, wire: Wire, model: string, stream: boolean): string {
  const root = rootOf(u.baseUrl);
  switch (wire) {
    case "openaiChat":
      return `${openaiBase(u)}/chat/completions`;
    case "openaiResponses":
      return `${openaiBase(u)}/responses`;
    case "anthropicMessages":
      return `${root}/v1/messages`;
    case "geminiGenerate":
      return `${root}/v1beta/models/${encodeURIComponent(model)}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`;
  }
}

/** The auth header each wire expects, plus the endpoint's own headers. */
export function upstreamHeaders(u: Upstream, wire: Wire): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json", ...u.headers };
  if (wire === "anthropicMessages") h["anthropic-version"] ??= "2023-06-01";
  if (!u.key) return h;
  if (wire === "anthropicMessages") h["x-api-key"] = u.key;
  else if (wire === "geminiGenerate") h["x-goog-api-key"] = u.key;
  else h.authorization = `Bearer ${u.key}`;
  return h;
}

/** The wires an endpoint of this kind is known to speak, until a probe says otherwise. */
export function assumedWires(kind: ProviderKind): Wire[] {
  switch (kind) {
    case "anthropic":
      return ["anthropicMessages"];
    case "gemini":
      return ["geminiGenerate", "openaiChat"];
    case "ollama":
    case "lmstudio":
    case "vllm":
      return ["openaiChat", "openaiResponses", "anthropicMessages"];
    case "llamacpp":
      return ["openaiChat", "anthropicMessages"];
    case "openai":
      return ["openaiChat", "openaiResponses"];
    default:
      return ["openaiChat"];
  }
}

export function speaks(u: Pick<Upstream, "kind" | "wires">, wire: Wire): boolean {
  if (u.wires) return u.wires[wire]?.ok === true;
  return assumedWires(u.kind).includes(wire);
}

/** fetch with a deadline; the error names what failed. */
export async function fetchWithin(url: string, init: RequestInit, ms: number): Promise<Response> {
  const signal = AbortSignal.timeout(ms);
  return fetch(url, { ...init, signal });
}
