import type { McpServerView, SecretEntry, TestResult, Transport } from "../../../src/mcp/model";
import { msg } from "../i18n";
import { request } from "./api";

/** The MCP server registry, the agents it serves and a session's tool-call log: the server's own types (src/mcp/model, type-only). */
export type { Transport };
export type McpServer = McpServerView;

export const TRANSPORT_LABELS: Record<Transport, string> = {
  stdio: msg("stdio: a command"),
  sse: msg("SSE: a URL"),
  http: msg("Streamable HTTP: a URL"),
};

/** In an edit, a stored env value or header is kept by sending `{ keep: true }` under its name. */
export type { SecretEntry };

export interface McpServerInput {
  name?: string;
  description?: string;
  transport?: Transport;
  command?: string | null;
  args?: string[];
  /** The whole map when given: a name left out is removed, `{ keep: true }` keeps its stored value. */
  env?: Record<string, SecretEntry>;
  url?: string | null;
  headers?: Record<string, SecretEntry>;
  appliesTo?: string[];
  enabledTools?: string[] | null;
  disabledTools?: string[];
  startupTimeoutMs?: number;
  callTimeoutMs?: number;
  enabled?: boolean;
}

export type McpTestResult = TestResult;

export interface McpAgent {
  id: string;
  transports: Transport[];
}

export interface McpCall {
  id: number;
  /** `<server>__<tool>`, or a built-in tool's own name (ask_user, notify_user, session_diff). */
  tool: string;
  arguments: unknown;
  result: unknown;
  isError: boolean;
  ms: number;
  createdAt: string;
}

export interface McpCallLog {
  calls: McpCall[];
  /** Servers of the session that failed to start, by name. */
  errors: Record<string, string>;
  connectedAt: string | null;
  /** The registry ids the session was started with. */
  servers?: string[];
}

const base = "/api/mcp/servers";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const mcpApi = {
  list: async () => (await request<{ servers: McpServer[] }>("GET", base)).servers,
  get: (id: string) => request<McpServer>("GET", one(id)),
  create: (body: McpServerInput) => request<McpServer>("POST", base, body),
  update: (id: string, body: McpServerInput) => request<McpServer>("PUT", one(id), body),
  toggle: (id: string, enabled: boolean) => request<McpServer>("PATCH", `${one(id)}/toggle`, { enabled }),
  remove: (id: string) => request<unknown>("DELETE", one(id)),
  test: (id: string) => request<McpTestResult>("POST", `${one(id)}/test`),
  agents: async () => (await request<{ agents: McpAgent[] }>("GET", "/api/mcp/agents")).agents,
  calls: (sessionId: string) => request<McpCallLog>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/mcp-calls`),
};
