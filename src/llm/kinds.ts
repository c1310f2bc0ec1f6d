/**
 * The wires (HTTP dialects) an agent or an upstream can speak, and the kinds of provider. This file
 * imports nothing: the UI bundles KINDS for its kind picker, so the form offers what the schema takes.
 */
export const WIRES = ["openaiChat", "openaiResponses", "anthropicMessages", "geminiGenerate"] as const;
export type Wire = (typeof WIRES)[number];

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
export type ProviderKind = (typeof KINDS)[number];
