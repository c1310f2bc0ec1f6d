import { Elysia } from "elysia";
import { log } from "../log";
import { upstreamMessage, wireError } from "./errors";
import type { Wire } from "./model";
import type { LlmService } from "./service";
import { planFor, type Translation, translations } from "./translate";
import { fetchWithin, rootOf, type Upstream, upstreamHeaders, wireUrl } from "./upstream";
import { usageTap } from "./usage-tap";

export interface LlmGatewayDeps {
  llm: LlmService;
  /** How long an upstream may take to answer (status and headers) before the next fallback is tried. */
  firstByteTimeoutMs?: number;
}

type Op = "probe" | "models" | "generate" | "count_tokens";
interface Endpoint {
  wire: Wire;
  op: Op;
  /** Gemini: whether the path asked for the streaming method. */
  stream?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which wire and operation a gateway path is (`rest` is what follows /llm/s/{sid}/). */
function classify(method: string, rest: string): Endpoint | null {
  const path = rest.replace(/\/+$/, "");
  const [head, ...tail] = path.split("/");
  const sub = tail.join("/").replace(/^v1\//, "");
  if (head === "anthropic") {
    if (!sub && (method === "HEAD" || method === "GET")) return { wire: "anthropicMessages", op: "probe" };
    if (sub === "models" && method === "GET") return { wire: "anthropicMessages", op: "models" };
    if (sub === "messages" && method === "POST") return { wire: "anthropicMessages", op: "generate" };
    if (sub === "messages/count_tokens" && method === "POST") return { wire: "anthropicMessages", op: "count_tokens" };
    return null;
  }
  if (head === "openai") {
    if (!sub && (method === "HEAD" || method === "GET")) return { wire: "openaiChat", op: "probe" };
    if (sub === "models" && method === "GET") return { wire: "openaiChat", op: "models" };
    if (sub === "chat/completions" && method === "POST") return { wire: "openaiChat", op: "generate" };
    if (sub === "responses" && method === "POST") return { wire: "openaiResponses", op: "generate" };
    return null;
  }
  if (head === "gemini") {
    const g = tail.join("/").replace(/^v1(beta)?\//, "");
    if (!g && (method === "HEAD" || method === "GET")) return { wire: "geminiGenerate", op: "probe" };
    if (g === "models" && method === "GET") return { wire: "geminiGenerate", op: "models" };
    const m = /^models\/[^/:]+:(generateContent|streamGenerateContent|countTokens)$/.exec(g);
    if (m && method === "POST") {
      if (m[1] === "countTokens") return { wire: "geminiGenerate", op: "count_tokens" };
      return { wire: "geminiGenerate", op: "generate", stream: m[1] === "streamGenerateContent" };
    }
    return null;
  }
  return null;
}

const wireOfPath = (rest: string): Wire =>
  rest.startsWith("anthropic") ? "anthropicMessages" : rest.startsWith("gemini") ? "geminiGenerate" : "openaiChat";

/** The session token, wherever the CLI put it. */
function tokenOf(req: Request, url: URL): string | null {
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  return req.headers.get("x-api-key") ?? req.headers.get("x-goog-api-key") ?? url.searchParams.get("key");
}

const DROP_REQUEST = new Set([
  "host",
  "authorization",
  "x-api-key",
  "x-goog-api-key",
  "content-length",
  "accept-encoding",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "upgrade",
  "cookie",
  "origin",
  "referer",
]);
const DROP_RESPONSE = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"]);

function forwardedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((value, key) => {
    if (!DROP_REQUEST.has(key) && !key.startsWith("proxy-")) out[key] = value;
  });
  return out;
}

function responseHeaders(res: Response): Headers {
  const h = new Headers();
  res.headers.forEach((value, key) => {
    if (!DROP_RESPONSE.has(key)) h.set(key, value);
  });
  return h;
}

/**
 * The request body with its top-level model replaced, everything else byte for byte (thinking
 * signatures, cache_control). Re-serialised only when the model cannot be found in the text.
 */
export function rewriteModel(raw: string, target: string): string {
  let parsed: { model?: unknown };
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (parsed.model === target) return raw;
  if (typeof parsed.model === "string") {
    const re = new RegExp(`"model"\\s*:\\s*${JSON.stringify(parsed.model).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
    const m = re.exec(raw);
    if (m) {
      const next = raw.slice(0, m.index) + `"model":${JSON.stringify(target)}` + raw.slice(m.index + m[0].length);
      try {
        if (JSON.parse(next).model === target) return next;
      } catch {}
    }
  }
  return JSON.stringify({ ...parsed, model: target });
}

/** A rough count (4 characters a token) for endpoints without a counter. */
function estimateTokens(raw: string): number {
  try {
    const j = JSON.parse(raw) as Record<string, unknown>;
    const text = JSON.stringify([j.system, j.messages, j.tools, j.contents, j.systemInstruction]);
    return Math.max(1, Math.ceil(text.length / 4));
  } catch {
    return Math.max(1, Math.ceil(raw.length / 4));
  }
}

function modelList(wire: Wire, model: string): Response {
  if (wire === "anthropicMessages")
    return Response.json({
      data: [{ type: "model", id: model, display_name: model, created_at: "2025-01-01T00:00:00Z" }],
      has_more: false,
      first_id: model,
      last_id: model,
    });
  if (wire === "geminiGenerate")
    return Response.json({
      models: [
        {
          name: `models/${model}`,
          displayName: model,
          supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"],
        },
      ],
    });
  return Response.json({ object: "list", data: [{ id: model, object: "model", created: 0, owned_by: "opendray" }] });
}

interface Hop {
  upstream: Upstream;
  model: string;
}

/** `/llm/s/{sessionId}/{anthropic|openai|gemini}/…`: each agent's own wire, to the session's endpoints. */
export class LlmGateway {
  private readonly routes = new Map<string, { at: number; gen: number; chain: Hop[] | null; model: string }>();
  private readonly timeoutMs: number;

  constructor(private readonly deps: LlmGatewayDeps) {
    this.timeoutMs = deps.firstByteTimeoutMs ?? 60_000;
  }

  private async chain(sid: string): Promise<{ chain: Hop[] | null; model: string }> {
    const hit = this.routes.get(sid);
    const now = Date.now();
    if (hit && hit.gen === this.deps.llm.generation && now - hit.at < 60_000) return hit;
    const route = await this.deps.llm.store.route(sid);
    const model = (await this.deps.llm.store.sessionModel(sid)) ?? "";
    const chain = route ? await this.deps.llm.chain(route, model) : null;
    const entry = { at: now, gen: this.deps.llm.generation, chain, model };
    this.routes.set(sid, entry);
    return entry;
  }

  /**
   * The upstream's answer (status and headers) within the deadline; the body then streams for as long
   * as it takes. An agent that hangs up cancels the upstream request.
   */
  private async firstByte(url: string, init: RequestInit, agent: AbortSignal): Promise<Response> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, "TimeoutError")),
      this.timeoutMs,
    );
    try {
      return await fetch(url, { ...init, signal: AbortSignal.any([agent, deadline.signal]) });
    } finally {
      clearTimeout(timer);
    }
  }

  async handle(req: Request, sid: string, rest: string): Promise<Response> {
    const url = new URL(req.url);
    const ep = classify(req.method, rest);
    const wire = ep?.wire ?? wireOfPath(rest);
    // Claude Code's connectivity check (HEAD /) carries no credentials; it reveals nothing.
    if (ep?.op === "probe") return new Response(req.method === "HEAD" ? null : "ok", { status: 200 });
    const token = tokenOf(req, url);
    if (!UUID.test(sid) || !token || !(await this.deps.llm.tokens.verify(sid, token)))
      return wireError(wire, 401, "invalid or revoked OpenDray session token");
    if (!ep) return wireError(wire, 404, `the gateway has no ${req.method} /${rest}`);
    const { chain, model } = await this.chain(sid);
    if (!chain?.length) return wireError(wire, 503, "this session has no enabled model endpoint");
    if (ep.op === "models") return modelList(ep.wire, model);
    const raw = await req.text();
    if (ep.op === "count_tokens") return this.countTokens(req, ep, raw, chain[0] as Hop, url);
    return this.generate(req, sid, ep, raw, chain, url);
  }

  private async countTokens(req: Request, ep: Endpoint, raw: string, hop: Hop, url: URL): Promise<Response> {
    if (ep.wire === "anthropicMessages" && planFor(ep.wire, hop.upstream) === "pass") {
      try {
        const res = await fetchWithin(
          `${rootOf(hop.upstream.baseUrl)}/v1/messages/count_tokens${queryOf(url)}`,
          {
            method: "POST",
            headers: { ...forwardedHeaders(req), ...upstreamHeaders(hop.upstream, ep.wire) },
            body: rewriteModel(raw, hop.model),
          },
          this.timeoutMs,
        );
        if (res.ok) return new Response(res.body, { status: res.status, headers: responseHeaders(res) });
        await res.arrayBuffer();
      } catch {}
    }
    const n = estimateTokens(raw);
    const body = ep.wire === "geminiGenerate" ? { totalTokens: n } : { input_tokens: n };
    return Response.json(body, { headers: { "x-opendray-estimate": "true" } });
  }

  private async generate(
    req: Request,
    sid: string,
    ep: Endpoint,
    raw: string,
    chain: Hop[],
    url: URL,
  ): Promise<Response> {
    const llm = this.deps.llm;
    let last = {
      status: 502,
      message: "no endpoint of this session can serve this agent",
      retryAfter: null as string | null,
    };
    let fallbacks = 0;
    for (const [i, hop] of chain.entries()) {
      const plan = planFor(ep.wire, hop.upstream);
      if (!plan) {
        last = { status: 400, message: `${hop.upstream.name} cannot serve ${ep.wire}`, retryAfter: null };
        continue;
      }
      const translation: Translation | null = plan === "pass" ? null : translations[plan];
      let upstreamUrl: string;
      let body: string;
      let stream: boolean;
      let headers: Record<string, string>;
      let state: unknown;
      if (translation) {
        let t: { body: string; stream: boolean; state?: unknown };
        try {
          t = translation.request(raw, hop, ep);
        } catch {
          return wireError(ep.wire, 400, "the request body is not valid JSON for this API");
        }
        upstreamUrl = wireUrl(hop.upstream, translation.upstreamWire, hop.model, t.stream);
        body = t.body;
        stream = t.stream;
        state = t.state;
        headers = upstreamHeaders(hop.upstream, translation.upstreamWire);
      } else {
        stream = ep.wire === "geminiGenerate" ? !!ep.stream : /"stream"\s*:\s*true/.test(raw);
        upstreamUrl = wireUrl(hop.upstream, ep.wire, hop.model, stream);
        if (ep.wire !== "geminiGenerate") upstreamUrl += queryOf(url);
        body = ep.wire === "geminiGenerate" ? raw : rewriteModel(raw, hop.model);
        headers = { ...forwardedHeaders(req), ...upstreamHeaders(hop.upstream, ep.wire) };
      }
      let res: Response;
      try {
        res = await this.firstByte(upstreamUrl, { method: "POST", headers, body }, req.signal);
      } catch (e) {
        const err = e as Error;
        const timeout = err.name === "TimeoutError";
        last = {
          status: timeout ? 504 : 502,
          message: `${hop.upstream.name}: ${timeout ? `no answer within ${this.timeoutMs} ms` : err.message}`,
          retryAfter: null,
        };
        if (i < chain.length - 1) fallbacks++;
        continue;
      }
      if (!res.ok) {
        const text = await res.text().catch(() => "");
        last = {
          status: res.status,
          message: `${hop.upstream.name}: ${upstreamMessage(text)}`,
          retryAfter: res.headers.get("retry-after"),
        };
        // Before the first byte reached the agent, a busy or failing endpoint hands over to the next.
        if ((res.status === 429 || res.status >= 500) && i < chain.length - 1) {
          fallbacks++;
          continue;
        }
        break;
      }
      const done = (usage: { input: number; output: number }) =>
        llm.addUsage(sid, {
          requests: 1,
          inputTokens: usage.input,
          outputTokens: usage.output,
          fallbacks,
          lastModel: `${hop.upstream.name}/${hop.model}`,
        });
      if (!translation) {
        const out = res.body ? res.body.pipeThrough(usageTap(stream, done)) : null;
        return new Response(out, { status: res.status, headers: responseHeaders(res) });
      }
      return translation.response(res, stream, hop, ep, done, state);
    }
    llm.addUsage(sid, { requests: 1, errors: 1, fallbacks, lastError: last.message });
    log.warn("llm gateway request failed", { sessionId: sid, status: last.status, message: last.message });
    return wireError(ep.wire, last.status, last.message, last.retryAfter);
  }
}

function queryOf(url: URL): string {
  const q = new URLSearchParams(url.searchParams);
  q.delete("key");
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The gateway's routes (no OpenDray login: the session token is the credential). */
export function createLlmGateway(deps: LlmGatewayDeps) {
  const gateway = new LlmGateway(deps);
  const handler = ({ request, params }: { request: Request; params: Record<string, string> }) =>
    gateway.handle(request, params.sid ?? "", params["*"] ?? "");
  // GET and HEAD by name: the web UI's GET /* would otherwise win over a catch-all.
  return new Elysia({ name: "llm-gateway" })
    .get("/llm/s/:sid/*", handler, { parse: "none" })
    .head("/llm/s/:sid/*", handler, { parse: "none" })
    .post("/llm/s/:sid/*", handler, { parse: "none" })
    .all("/llm/s/:sid/*", handler, { parse: "none" });
}
