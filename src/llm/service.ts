import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { AppError, conflict, invalidField, notFound } from "../errors";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import type { SecretBox } from "../plugins/secret-box";
import type {
  CreateProviderInput,
  ModelInfo,
  ProviderRow,
  ProviderView,
  SessionRoute,
  UpdateProviderInput,
  UsageView,
  Wire,
} from "./model";
import { listModels, probe } from "./probe";
import { llmStore, type UsageDelta } from "./store";
import { SessionTokens } from "./tokens";
import { planFor } from "./translate";
import type { Upstream } from "./upstream";

export interface LlmServiceDeps {
  sql: Sql;
  box: SecretBox;
  /** The server's environment, where `apiKeyEnv` names are read. */
  env: Record<string, string | undefined>;
  /** The environment agents inherit: every `apiKeyEnv` name is deleted from it. */
  agentEnv: Record<string, string>;
  hooks: HookBus;
  /** The wire an agent plugin speaks (its manifest's llm block), undefined when it cannot be routed. */
  agentWire: (sessionType: string) => Wire | undefined;
}

/** What POST /api/sessions carries for routing (the original's field names). */
export interface RouteRequest {
  sessionType: string;
  llmProviderId?: string | null;
  model?: string | null;
  llmFallbacks?: { providerId: string; model: string }[];
}

export class LlmService {
  readonly store;
  readonly tokens;
  /** Bumped on every change to an endpoint, so the gateway's cached routes are dropped. */
  generation = 0;

  constructor(private readonly deps: LlmServiceDeps) {
    this.store = llmStore(deps.sql);
    this.tokens = new SessionTokens(this.store);
  }

  async init() {
    for (const p of await this.store.providers()) this.scrub(p);
    this.deps.hooks.on("onSessionStop", (e) => this.tokens.revoke(e.sessionId));
  }

  /** After the sessions were adopted: tokens of sessions that ended while the server was down go. */
  async revokeEnded() {
    for (const { sessionId } of await this.store.revokeExited()) this.tokens.forget(sessionId);
  }

  private scrub(p: Pick<ProviderRow, "apiKeyEnv">) {
    if (p.apiKeyEnv) delete this.deps.agentEnv[p.apiKeyEnv];
  }

  view(p: ProviderRow): ProviderView {
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      baseUrl: p.baseUrl,
      apiKeyEnv: p.apiKeyEnv,
      apiKeySet: !!p.apiKeySealed || (!!p.apiKeyEnv && !!this.deps.env[p.apiKeyEnv]),
      headers: p.headers,
      enabled: p.enabled,
      wires: p.wires,
      models: p.models,
      probedAt: p.probedAt?.toISOString() ?? null,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  async list(): Promise<ProviderView[]> {
    return (await this.store.providers()).map((p) => this.view(p));
  }

  async row(id: string): Promise<ProviderRow> {
    const p = await this.store.provider(id);
    if (!p) throw notFound("model endpoint");
    return p;
  }

  async create(input: CreateProviderInput): Promise<ProviderView> {
    if (await this.store.byName(input.name)) throw conflict(`a model endpoint named "${input.name}" exists`);
    const id = randomUUID();
    await this.store.insert({
      id,
      name: input.name,
      kind: input.kind ?? "openai-compat",
      baseUrl: input.baseUrl,
      apiKeyEnv: input.apiKeyEnv ?? null,
      apiKeySealed: input.apiKey ? this.deps.box.seal(input.apiKey) : null,
      headers: input.headers ?? {},
      enabled: input.enabled ?? true,
    });
    this.scrub({ apiKeyEnv: input.apiKeyEnv ?? null });
    this.generation++;
    return this.view(await this.row(id));
  }

  async update(id: string, input: UpdateProviderInput): Promise<ProviderView> {
    const p = await this.row(id);
    const next: ProviderRow = { ...p };
    if (input.kind) next.kind = input.kind;
    if (input.baseUrl) next.baseUrl = input.baseUrl;
    if (input.headers) next.headers = input.headers;
    if (input.enabled !== undefined) next.enabled = input.enabled;
    // Setting one kind of key clears the other; null clears it.
    if (input.apiKeyEnv !== undefined) {
      next.apiKeyEnv = input.apiKeyEnv;
      if (input.apiKeyEnv) next.apiKeySealed = null;
    }
    if (input.apiKey !== undefined) {
      next.apiKeySealed = input.apiKey ? this.deps.box.seal(input.apiKey) : null;
      if (input.apiKey) next.apiKeyEnv = null;
    }
    if (input.kind || input.baseUrl) Object.assign(next, { wires: null, models: null, probedAt: null });
    await this.store.update(next);
    this.scrub(next);
    this.generation++;
    return this.view(await this.row(id));
  }

  async toggle(id: string, enabled: boolean) {
    return this.update(id, { enabled });
  }

  async remove(id: string) {
    await this.row(id);
    await this.store.remove(id);
    this.generation++;
  }

  /** The endpoint with its key opened (for the gateway and the probe only). */
  upstream(p: ProviderRow): Upstream {
    let key: string | null = null;
    if (p.apiKeySealed) {
      key = this.deps.box.open(p.apiKeySealed);
      if (key === null) log.warn("model endpoint key cannot be opened (other key file?)", { name: p.name });
    } else if (p.apiKeyEnv) key = this.deps.env[p.apiKeyEnv] ?? null;
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      baseUrl: p.baseUrl,
      key,
      headers: p.headers,
      wires: p.wires,
      models: p.models,
    };
  }

  async probe(id: string) {
    const p = await this.row(id);
    const result = await probe(this.upstream(p));
    await this.store.probed(id, result.wires, result.models);
    this.generation++;
    return result;
  }

  async models(id: string): Promise<{ provider: string; models: ModelInfo[] }> {
    const p = await this.row(id);
    return { provider: p.name, models: await listModels(this.upstream(p)) };
  }

  /** Checks a session's route at creation: 422 naming the field when it cannot work. */
  async route(req: RouteRequest): Promise<SessionRoute | null> {
    if (!req.llmProviderId) {
      if (req.llmFallbacks?.length) throw invalidField("llmProviderId", "fallbacks need a primary llmProviderId");
      return null;
    }
    const wire = this.deps.agentWire(req.sessionType);
    if (!wire) throw invalidField("llmProviderId", `${req.sessionType} sessions cannot be routed to a model endpoint`);
    if (!req.model) throw invalidField("model", "a model is required with llmProviderId");
    await this.usable("llmProviderId", req.llmProviderId, req.model, wire);
    for (const [i, f] of (req.llmFallbacks ?? []).entries())
      await this.usable(`llmFallbacks.${i}.providerId`, f.providerId, f.model, wire);
    return { providerId: req.llmProviderId, fallbacks: req.llmFallbacks ?? [] };
  }

  private async usable(path: string, id: string, model: string, wire: Wire): Promise<ProviderRow> {
    const p = await this.store.provider(id);
    if (!p) throw invalidField(path, `no model endpoint with id ${id}`);
    if (!p.enabled) throw invalidField(path, `the model endpoint "${p.name}" is disabled`);
    if (!planFor(wire, p))
      throw invalidField(path, `"${p.name}" speaks neither ${wire} nor OpenAI Chat, so this agent cannot use it`);
    const known = p.models?.map((m) => m.id) ?? [];
    if (known.length && !known.includes(model)) {
      const where = path === "llmProviderId" ? "model" : path.replace(/providerId$/, "model");
      throw invalidField(where, `"${p.name}" has no model "${model}" (it has ${known.slice(0, 10).join(", ")})`);
    }
    return p;
  }

  /** The enabled endpoints of a route, primary first, each with its model. */
  async chain(route: SessionRoute, model: string): Promise<{ upstream: Upstream; model: string }[]> {
    const out: { upstream: Upstream; model: string }[] = [];
    for (const hop of [{ providerId: route.providerId, model }, ...route.fallbacks]) {
      const p = await this.store.provider(hop.providerId);
      if (p?.enabled) out.push({ upstream: this.upstream(p), model: hop.model });
    }
    return out;
  }

  /** Refuses a start whose stored route no longer works (endpoint deleted or disabled). */
  async checkStart(route: SessionRoute) {
    const p = await this.store.provider(route.providerId);
    if (!p)
      throw new AppError("invalid", "the session's model endpoint was deleted", [
        { path: "llmProviderId", message: "deleted" },
      ]);
    if (!p.enabled) throw invalidField("llmProviderId", `the model endpoint "${p.name}" is disabled`);
  }

  addUsage(sessionId: string, d: UsageDelta) {
    this.store.addUsage(sessionId, d).catch((error) => log.warn("llm usage not saved", { sessionId, error }));
  }

  async usage(sessionId: string): Promise<UsageView> {
    const session = await this.store.session(sessionId);
    if (!session) throw notFound("session");
    const { llm: route, model } = session;
    const u = await this.store.usage(sessionId);
    return {
      routed: !!route,
      providerId: route?.providerId ?? null,
      model: route ? model : null,
      requests: u?.requests ?? 0,
      inputTokens: u?.inputTokens ?? 0,
      outputTokens: u?.outputTokens ?? 0,
      errors: u?.errors ?? 0,
      fallbacks: u?.fallbacks ?? 0,
      lastError: u?.lastError ?? null,
      lastModel: u?.lastModel ?? null,
      updatedAt: u?.updatedAt?.toISOString() ?? null,
    };
  }
}
