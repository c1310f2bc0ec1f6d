import * as v from "valibot";
import { KINDS, type ProviderKind, type Wire } from "./kinds";

export type { ProviderKind, Wire } from "./kinds";
export { KINDS, WIRES } from "./kinds";

export interface WireProbe {
  ok: boolean;
  status: number;
  ms: number;
}
export type WireMap = Record<Wire, WireProbe>;

export interface ModelInfo {
  id: string;
  contextWindow?: number;
  maxOutput?: number;
  vision?: boolean;
  tools?: boolean;
}

/** A provider as stored (the key only sealed). */
export interface ProviderRow {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKeyEnv: string | null;
  apiKeySealed: string | null;
  headers: Record<string, string>;
  enabled: boolean;
  wires: WireMap | null;
  models: ModelInfo[] | null;
  probedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a session's routed requests added up to (llm_usage). */
export interface UsageCounts {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  errors: number;
  fallbacks: number;
  lastError: string | null;
  lastModel: string | null;
}

/** GET /api/sessions/{id}/llm-usage: zeros for a session that sent nothing yet. */
export interface UsageView extends UsageCounts {
  routed: boolean;
  providerId: string | null;
  model: string | null;
  updatedAt: string | null;
}

/** A provider as the API shows it: never the key, only whether one is set. */
export interface ProviderView {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKeyEnv: string | null;
  apiKeySet: boolean;
  headers: Record<string, string>;
  enabled: boolean;
  wires: WireMap | null;
  models: ModelInfo[] | null;
  probedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const envName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"));
const httpUrl = v.pipe(
  v.string("baseUrl must be a URL"),
  v.url("an http(s) URL such as http://192.168.1.5:11434"),
  v.regex(/^https?:\/\//i, "an http(s) URL"),
  v.maxLength(2000),
);
const headerName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/, "a header name"));

const fields = {
  kind: v.optional(v.picklist(KINDS, `one of ${KINDS.join(", ")}`)),
  baseUrl: httpUrl,
  apiKeyEnv: v.optional(v.nullable(envName)),
  apiKey: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1, "an API key"), v.maxLength(4000)))),
  headers: v.optional(v.record(headerName, v.pipe(v.string(), v.maxLength(4000)))),
  enabled: v.optional(v.boolean("enabled must be true or false")),
};

export const CreateProviderBody = v.pipe(
  v.strictObject({
    name: v.pipe(
      v.string("name is required"),
      v.regex(/^[a-z0-9_-]{1,48}$/, "1–48 lowercase letters, digits, _ or -, such as ollama-desktop"),
    ),
    ...fields,
  }),
  v.forward(
    v.check((b) => !(b.apiKeyEnv && b.apiKey), "give apiKeyEnv or apiKey, not both"),
    ["apiKey"],
  ),
);
export type CreateProviderInput = v.InferOutput<typeof CreateProviderBody>;

/** Partial; the name cannot change. */
export const UpdateProviderBody = v.pipe(
  v.strictObject({ ...fields, baseUrl: v.optional(httpUrl) }),
  v.forward(
    v.check((b) => !(b.apiKeyEnv && b.apiKey), "give apiKeyEnv or apiKey, not both"),
    ["apiKey"],
  ),
);
export type UpdateProviderInput = v.InferOutput<typeof UpdateProviderBody>;

export const ToggleBody = v.strictObject({ enabled: v.boolean("enabled must be true or false") });
export const ProviderIdParams = v.object({ id: v.pipe(v.string(), v.uuid("a provider id (UUID)")) });

/** The route stored on a session (sessions.llm); the model is sessions.model. */
export interface SessionRoute {
  providerId: string;
  fallbacks: { providerId: string; model: string }[];
}

export const Fallback = v.strictObject({
  providerId: v.pipe(v.string(), v.uuid("a provider id (UUID)")),
  model: v.pipe(v.string(), v.minLength(1, "a model id"), v.maxLength(200)),
});
