import type { Sql } from "postgres";
import type { McpServerRow } from "./model";

export interface McpCallRow {
  id: number;
  tool: string;
  arguments: unknown;
  result: unknown;
  isError: boolean;
  ms: number;
  createdAt: Date;
}

export type NewServerRow = Omit<McpServerRow, "createdAt" | "updatedAt" | "lastError" | "lastErrorAt" | "formerNames">;
const isUnique = (e: unknown) => (e as { code?: string }).code === "23505";

const json = (sql: Sql, value: unknown) => sql.json(value as never);

/** The SQL of the MCP feature. */
export const mcpStore = (sql: Sql) => ({
  servers: () => sql<McpServerRow[]>`SELECT * FROM mcp_servers ORDER BY created_at, name`,
  server: async (id: string) => (await sql<McpServerRow[]>`SELECT * FROM mcp_servers WHERE id = ${id}`)[0] ?? null,
  byName: async (name: string) =>
    (await sql<McpServerRow[]>`SELECT * FROM mcp_servers WHERE name = ${name}`)[0] ?? null,
  insert: (r: NewServerRow) =>
    sql`INSERT INTO mcp_servers (id, name, description, transport, command, args, env_sealed, url, headers_sealed,
          applies_to, enabled_tools, disabled_tools, startup_timeout_ms, call_timeout_ms, enabled)
        VALUES (${r.id}, ${r.name}, ${r.description}, ${r.transport}, ${r.command}, ${json(sql, r.args)},
          ${json(sql, r.envSealed)}, ${r.url}, ${json(sql, r.headersSealed)}, ${json(sql, r.appliesTo)},
          ${r.enabledTools ? json(sql, r.enabledTools) : null}, ${json(sql, r.disabledTools)},
          ${r.startupTimeoutMs}, ${r.callTimeoutMs}, ${r.enabled})`,
  /** False when another server holds the name (the unique index, for a rename that raced another). */
  update: (r: NewServerRow & Pick<McpServerRow, "formerNames">) =>
    sql`UPDATE mcp_servers SET name = ${r.name}, former_names = ${json(sql, r.formerNames)},
          description = ${r.description}, transport = ${r.transport}, command = ${r.command},
          args = ${json(sql, r.args)}, env_sealed = ${json(sql, r.envSealed)}, url = ${r.url},
          headers_sealed = ${json(sql, r.headersSealed)}, applies_to = ${json(sql, r.appliesTo)},
          enabled_tools = ${r.enabledTools ? json(sql, r.enabledTools) : null},
          disabled_tools = ${json(sql, r.disabledTools)}, startup_timeout_ms = ${r.startupTimeoutMs},
          call_timeout_ms = ${r.callTimeoutMs}, enabled = ${r.enabled}, updated_at = clock_timestamp()
        WHERE id = ${r.id}`.then(
      () => true,
      (e) => {
        if (isUnique(e)) return false;
        throw e;
      },
    ),
  remove: (id: string) => sql`DELETE FROM mcp_servers WHERE id = ${id}`,
  /** A start's outcome: the (scrubbed) error and its time, or null for one that worked. Not an edit: updated_at stays. */
  setStartError: (id: string, error: string | null) =>
    error === null
      ? sql`UPDATE mcp_servers SET last_error = NULL, last_error_at = NULL WHERE id = ${id} AND last_error IS NOT NULL`
      : sql`UPDATE mcp_servers SET last_error = ${error}, last_error_at = clock_timestamp() WHERE id = ${id}`,

  /** The ids a session was started with, or null when it was never resolved. */
  sessionServers: async (sessionId: string) =>
    (
      await sql<
        { mcpServers: string[] | null; mcpStrict: boolean; sessionType: string }[]
      >`SELECT mcp_servers, mcp_strict, session_type FROM sessions WHERE id = ${sessionId}`
    )[0] ?? null,
  setSessionServers: (sessionId: string, ids: string[], strict = false) =>
    sql`UPDATE sessions SET mcp_servers = ${json(sql, ids)}, mcp_strict = ${strict} WHERE id = ${sessionId}`,

  /** What a session's gateway keeps: each server's last start error and when the agent last listed the tools. */
  sessionState: async (sessionId: string) => {
    const errors = await sql<{ server: string; error: string }[]>`
      SELECT server, error FROM mcp_session_errors WHERE session_id = ${sessionId}`;
    const [listing] = await sql<{ listedAt: Date }[]>`
      SELECT listed_at FROM mcp_session_listings WHERE session_id = ${sessionId}`;
    return { errors: new Map(errors.map((r) => [r.server, r.error])), listedAt: listing?.listedAt ?? null };
  },
  /** A server's (scrubbed) start error in a session, or null once it started. */
  setSessionError: (sessionId: string, server: string, error: string | null) =>
    error === null
      ? sql`DELETE FROM mcp_session_errors WHERE session_id = ${sessionId} AND server = ${server}`
      : sql`INSERT INTO mcp_session_errors (session_id, server, error)
          SELECT ${sessionId}, ${server}, ${error} WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ${sessionId})
          ON CONFLICT (session_id, server) DO UPDATE SET error = EXCLUDED.error, at = now()`,
  setListedAt: (sessionId: string, at: Date) =>
    sql`INSERT INTO mcp_session_listings (session_id, listed_at)
        SELECT ${sessionId}, ${at} WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ${sessionId})
        ON CONFLICT (session_id) DO UPDATE SET listed_at = EXCLUDED.listed_at`,

  addCall: (
    sessionId: string,
    c: { tool: string; arguments: unknown; result: unknown; isError: boolean; ms: number },
  ) =>
    sql`INSERT INTO mcp_calls (session_id, tool, arguments, result, is_error, ms)
        SELECT ${sessionId}, ${c.tool}, ${json(sql, c.arguments ?? null)}, ${json(sql, c.result ?? null)},
               ${c.isError}, ${Math.round(c.ms)}
        WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ${sessionId})`,
  calls: (sessionId: string, limit: number) =>
    sql<McpCallRow[]>`SELECT id, tool, arguments, result, is_error, ms, created_at FROM mcp_calls
        WHERE session_id = ${sessionId} ORDER BY id DESC LIMIT ${limit}`,
});
export type McpStore = ReturnType<typeof mcpStore>;
