import type { Sql } from "postgres";
import type { ModelInfo, ProviderRow, SessionRoute, UsageCounts, WireMap } from "./model";

export interface UsageRow extends UsageCounts {
  updatedAt: Date | null;
}

export type UsageDelta = Partial<UsageCounts>;

/** The SQL of the model-endpoint feature. */
export const llmStore = (sql: Sql) => ({
  providers: () => sql<ProviderRow[]>`SELECT * FROM llm_providers ORDER BY created_at`,
  provider: async (id: string) => (await sql<ProviderRow[]>`SELECT * FROM llm_providers WHERE id = ${id}`)[0] ?? null,
  byName: async (name: string) =>
    (await sql<ProviderRow[]>`SELECT * FROM llm_providers WHERE name = ${name}`)[0] ?? null,
  insert: (r: Omit<ProviderRow, "wires" | "models" | "probedAt" | "createdAt" | "updatedAt">) =>
    sql`INSERT INTO llm_providers (id, name, kind, base_url, api_key_env, api_key_sealed, headers, enabled)
        VALUES (${r.id}, ${r.name}, ${r.kind}, ${r.baseUrl}, ${r.apiKeyEnv}, ${r.apiKeySealed}, ${sql.json(r.headers)}, ${r.enabled})`,
  update: (r: ProviderRow) =>
    sql`UPDATE llm_providers SET kind = ${r.kind}, base_url = ${r.baseUrl}, api_key_env = ${r.apiKeyEnv},
        api_key_sealed = ${r.apiKeySealed}, headers = ${sql.json(r.headers)}, enabled = ${r.enabled},
        wires = ${r.wires ? sql.json(r.wires as never) : null}, models = ${r.models ? sql.json(r.models as never) : null},
        probed_at = ${r.probedAt}, updated_at = now() WHERE id = ${r.id}`,
  probed: (id: string, wires: WireMap, models: ModelInfo[]) =>
    sql`UPDATE llm_providers SET wires = ${sql.json(wires as never)}, models = ${sql.json(models as never)},
        probed_at = now() WHERE id = ${id}`,
  remove: (id: string) => sql`DELETE FROM llm_providers WHERE id = ${id}`,

  route: async (sessionId: string) =>
    (await sql<{ llm: SessionRoute | null }[]>`SELECT llm FROM sessions WHERE id = ${sessionId}`)[0]?.llm ?? null,
  session: async (sessionId: string) =>
    (
      await sql<
        { llm: SessionRoute | null; model: string | null }[]
      >`SELECT llm, model FROM sessions WHERE id = ${sessionId}`
    )[0] ?? null,
  sessionModel: async (sessionId: string) =>
    (await sql<{ model: string | null }[]>`SELECT model FROM sessions WHERE id = ${sessionId}`)[0]?.model ?? null,

  setToken: (sessionId: string, hash: string) =>
    sql`INSERT INTO llm_session_tokens (session_id, token_hash) VALUES (${sessionId}, ${hash})
        ON CONFLICT (session_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
  tokenHash: async (sessionId: string) =>
    (await sql<{ tokenHash: string }[]>`SELECT token_hash FROM llm_session_tokens WHERE session_id = ${sessionId}`)[0]
      ?.tokenHash ?? null,
  revoke: (sessionId: string) => sql`DELETE FROM llm_session_tokens WHERE session_id = ${sessionId}`,
  /** Tokens of sessions that ended while no server was watching. */
  revokeExited: () =>
    sql<{ sessionId: string }[]>`DELETE FROM llm_session_tokens t USING sessions s
        WHERE s.id = t.session_id AND s.status = 'exited' RETURNING t.session_id`,

  usage: async (sessionId: string) =>
    (
      await sql<
        UsageRow[]
      >`SELECT requests, input_tokens, output_tokens, errors, fallbacks, last_error, last_model, updated_at
        FROM llm_usage WHERE session_id = ${sessionId}`
    )[0] ?? null,
  addUsage: (sessionId: string, d: UsageDelta) =>
    sql`INSERT INTO llm_usage (session_id, requests, input_tokens, output_tokens, errors, fallbacks, last_error, last_model)
        SELECT ${sessionId}, ${d.requests ?? 0}, ${d.inputTokens ?? 0}, ${d.outputTokens ?? 0}, ${d.errors ?? 0},
               ${d.fallbacks ?? 0}, ${d.lastError ?? null}, ${d.lastModel ?? null}
        WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ${sessionId})
        ON CONFLICT (session_id) DO UPDATE SET
          requests = llm_usage.requests + EXCLUDED.requests,
          input_tokens = llm_usage.input_tokens + EXCLUDED.input_tokens,
          output_tokens = llm_usage.output_tokens + EXCLUDED.output_tokens,
          errors = llm_usage.errors + EXCLUDED.errors,
          fallbacks = llm_usage.fallbacks + EXCLUDED.fallbacks,
          last_error = COALESCE(EXCLUDED.last_error, llm_usage.last_error),
          last_model = COALESCE(EXCLUDED.last_model, llm_usage.last_model),
          updated_at = now()`,
});
export type LlmStore = ReturnType<typeof llmStore>;
