import { AppError } from "../errors";
import { type ModelInfo, WIRES, type Wire, type WireMap, type WireProbe } from "./model";
import { fetchWithin, openaiBase, rootOf, type Upstream, upstreamHeaders, wireUrl } from "./upstream";

export const MODELS_TIMEOUT_MS = 8000;

const upstreamError = (u: Upstream, what: string) =>
  new AppError("bad_gateway", `${u.name}: ${what}`, undefined, { upstream: u.baseUrl });

async function getJson(u: Upstream, url: string, headers: Record<string, string>, init: RequestInit = {}) {
  let res: Response;
  try {
    res = await fetchWithin(url, { ...init, headers }, MODELS_TIMEOUT_MS);
  } catch (e) {
    const err = e as Error;
    const why = err.name === "TimeoutError" ? `no answer within ${MODELS_TIMEOUT_MS / 1000} s` : err.message;
    throw upstreamError(u, `${url} unreachable: ${why}`);
  }
  if (!res.ok) throw upstreamError(u, `${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch {
    throw upstreamError(u, `${url} did not answer JSON`);
  }
}

const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : undefined);

/** Ollama: /api/tags for the names, /api/show for context length and capabilities. */
async function ollamaModels(u: Upstream): Promise<ModelInfo[]> {
  const root = rootOf(u.baseUrl);
  const tags = await getJson(u, `${root}/api/tags`, u.headers);
  const names = ((tags.models as { name?: string; model?: string }[] | undefined) ?? [])
    .map((m) => m.model ?? m.name)
    .filter((n): n is string => !!n);
  return Promise.all(
    names.map(async (id): Promise<ModelInfo> => {
      try {
        const show = await getJson(
          u,
          `${root}/api/show`,
          { ...u.headers, "content-type": "application/json" },
          { method: "POST", body: JSON.stringify({ model: id }) },
        );
        const info = (show.model_info ?? {}) as Record<string, unknown>;
        const ctxKey = Object.keys(info).find((k) => k.endsWith(".context_length"));
        const caps = (show.capabilities as string[] | undefined) ?? [];
        return {
          id,
          ...(ctxKey && num(info[ctxKey]) ? { contextWindow: num(info[ctxKey]) } : {}),
          ...(caps.length ? { tools: caps.includes("tools"), vision: caps.includes("vision") } : {}),
        };
      } catch {
        return { id };
      }
    }),
  );
}

/** Gemini's own list: names are `models/<id>`, limits are in the entries. */
async function geminiModels(u: Upstream): Promise<ModelInfo[]> {
  const body = await getJson(u, `${rootOf(u.baseUrl)}/v1beta/models`, upstreamHeaders(u, "geminiGenerate"));
  return ((body.models as Record<string, unknown>[] | undefined) ?? []).map((m) => ({
    id: String(m.name ?? "").replace(/^models\//, ""),
    ...(num(m.inputTokenLimit) ? { contextWindow: num(m.inputTokenLimit) } : {}),
    ...(num(m.outputTokenLimit) ? { maxOutput: num(m.outputTokenLimit) } : {}),
  }));
}

/** `/v1/models` (OpenAI, Anthropic, LM Studio, vLLM, llama.cpp…), with the limits some servers add. */
async function openaiModels(u: Upstream): Promise<ModelInfo[]> {
  const wire: Wire = u.kind === "anthropic" ? "anthropicMessages" : "openaiChat";
  const url = u.kind === "anthropic" ? `${rootOf(u.baseUrl)}/v1/models` : `${openaiBase(u)}/models`;
  const body = await getJson(u, url, upstreamHeaders(u, wire));
  const list = (body.data as Record<string, unknown>[] | undefined) ?? [];
  return list
    .filter((m) => typeof m.id === "string")
    .map((m) => {
      const ctx = num(m.context_length) ?? num(m.context_window) ?? num(m.max_model_len) ?? num(m.max_context_length);
      const out =
        num(m.max_output_tokens) ?? num((m.top_provider as Record<string, unknown> | undefined)?.max_completion_tokens);
      return { id: m.id as string, ...(ctx ? { contextWindow: ctx } : {}), ...(out ? { maxOutput: out } : {}) };
    });
}

/** The endpoint's models; unreachable or failing → 502 naming the upstream error. */
export function listModels(u: Upstream): Promise<ModelInfo[]> {
  if (u.kind === "ollama") return ollamaModels(u);
  if (u.kind === "gemini") return geminiModels(u);
  return openaiModels(u);
}

/** The smallest request each wire accepts. */
function tinyRequest(wire: Wire, model: string): unknown {
  const hi = "Reply with one word.";
  switch (wire) {
    case "openaiChat":
      return { model, max_tokens: 1, messages: [{ role: "user", content: hi }] };
    case "openaiResponses":
      return { model, max_output_tokens: 16, input: hi };
    case "anthropicMessages":
      return { model, max_tokens: 1, messages: [{ role: "user", content: hi }] };
    case "geminiGenerate":
      return { contents: [{ role: "user", parts: [{ text: hi }] }], generationConfig: { maxOutputTokens: 1 } };
  }
}

async function probeWire(u: Upstream, wire: Wire, model: string): Promise<WireProbe> {
  const started = performance.now();
  try {
    const res = await fetchWithin(
      wireUrl(u, wire, model, false),
      { method: "POST", headers: upstreamHeaders(u, wire), body: JSON.stringify(tinyRequest(wire, model)) },
      MODELS_TIMEOUT_MS,
    );
    await res.arrayBuffer().catch(() => {});
    return { ok: res.ok, status: res.status, ms: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, status: 0, ms: Math.round(performance.now() - started) };
  }
}

/** Which wires the endpoint answers (tiny requests, in parallel) and its models. */
export async function probe(u: Upstream): Promise<{ wires: WireMap; models: ModelInfo[] }> {
  const models = await listModels(u).catch(() => [] as ModelInfo[]);
  const model = models[0]?.id ?? "probe";
  const results = await Promise.all(WIRES.map((w) => probeWire(u, w, model)));
  const wires = Object.fromEntries(WIRES.map((w, i) => [w, results[i]])) as WireMap;
  return { wires, models };
}
