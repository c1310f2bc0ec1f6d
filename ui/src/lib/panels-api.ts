import type { PrCheck, PrComment, PrReview, PullRequest } from "../../../src/forge/model";
import type { QueryResult as PgResult } from "../../../src/pg/model";
import type { TableInfo as PgTable } from "../../../src/pg/schema";
import { ApiError, request, token } from "./api";

// The server's own view types (type-only imports: nothing of the server reaches the bundle).
export type { PrCheck, PrComment, PrReview, PullRequest } from "../../../src/forge/model";
export type { QueryResult as PgResult } from "../../../src/pg/model";
export type { TableInfo as PgTable } from "../../../src/pg/schema";

export interface PanelInfo {
  name: string;
  enabled: boolean;
  provider: {
    displayName?: string;
    icon?: string;
    description?: string;
    i18n?: Record<string, { displayName?: string; description?: string }>;
    kind: string;
  };
}

export interface PgConnection {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: string;
  source: "config" | "project";
  passwordSet: boolean;
}
export interface PgConnections {
  readOnly: boolean;
  statementTimeoutMs: number;
  maxRows: number;
  projectEnv: boolean;
  connections: PgConnection[];
}
export interface PgSchema {
  database: string;
  databases: string[];
  schemas: string[];
  tables: PgTable[];
  readerRole: string | null;
  note: string | null;
  readOnly: boolean;
}
export interface PgHistoryEntry {
  id: number;
  sql: string;
  ok: boolean;
  rowCount: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: string;
}

export interface ForgeRepo {
  forge: string;
  host: string;
  path: string;
  webUrl: string;
  branch: string | null;
  tokenSet: boolean;
}

export interface SimDevice {
  id: string;
  platform: "android" | "ios";
  name: string;
  state: string;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : "";
};
const enc = encodeURIComponent;

/** Text answers (a diff, a CSV) with the same error handling as the JSON client. */
async function text(method: string, path: string, body?: unknown): Promise<{ text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const out = await res.text();
  if (!res.ok) {
    let e: { code?: string; message?: string } = {};
    try {
      e = JSON.parse(out).error ?? {};
    } catch {}
    throw new ApiError(res.status, e.code ?? "error", e.message ?? `${res.status} ${res.statusText}`);
  }
  return { text: out, headers: res.headers };
}

export const panelsApi = {
  panels: () => request<PanelInfo[]>("GET", "/api/providers?kind=panel"),

  pgConnections: (sessionId?: string) => request<PgConnections>("GET", `/api/pg/connections${q({ sessionId })}`),
  pgSchema: (conn: string, sessionId?: string) =>
    request<PgSchema>("GET", `/api/pg/${enc(conn)}/schema${q({ sessionId })}`),
  pgQuery: (conn: string, sql: string, sessionId?: string) =>
    request<PgResult>("POST", `/api/pg/${enc(conn)}/query${q({ sessionId })}`, { sql }),
  pgExplain: (conn: string, sql: string, sessionId?: string) =>
    request<{ plan: unknown }>("POST", `/api/pg/${enc(conn)}/explain${q({ sessionId })}`, { sql }),
  pgExport: (conn: string, sql: string, sessionId?: string) =>
    text("POST", `/api/pg/${enc(conn)}/export${q({ sessionId })}`, { sql }),
  pgHistory: (conn: string, sessionId?: string) =>
    request<{ entries: PgHistoryEntry[] }>("GET", `/api/pg/${enc(conn)}/history${q({ sessionId, limit: 50 })}`),

  forgePrs: (sessionId: string) =>
    request<{ repo: ForgeRepo; current: PullRequest | null; pulls: PullRequest[] }>(
      "GET",
      `/api/forge/prs${q({ sessionId })}`,
    ),
  forgePr: (sessionId: string, n: number) => request<PullRequest>("GET", `/api/forge/prs/${n}${q({ sessionId })}`),
  forgeDiff: async (sessionId: string, n: number) =>
    (await text("GET", `/api/forge/prs/${n}/diff${q({ sessionId })}`)).text,
  forgeComments: (sessionId: string, n: number) =>
    request<{ comments: PrComment[] }>("GET", `/api/forge/prs/${n}/comments${q({ sessionId })}`),
  forgeReviews: (sessionId: string, n: number) =>
    request<{ reviews: PrReview[] }>("GET", `/api/forge/prs/${n}/reviews${q({ sessionId })}`),
  forgeChecks: (sessionId: string, n: number) =>
    request<{ checks: PrCheck[] }>("GET", `/api/forge/prs/${n}/checks${q({ sessionId })}`),

  /** The workspace's review route: the comments go to the session's agent as one message. */
  sendReview: (
    sessionId: string,
    body: { comments: { path: string; line: number; body: string }[]; summary: string; id: string },
  ) => request<unknown>("POST", `/api/sessions/${enc(sessionId)}/review`, body),

  docsTree: () => request<{ repo: string; branch: string; files: string[] }>("GET", "/api/forge/docs/tree"),
  docsFile: (path: string) => request<{ path: string; content: string }>("GET", `/api/forge/docs/file${q({ path })}`),

  simDevices: () =>
    request<{ devices: SimDevice[]; android: { available: boolean; error: string | null } }>(
      "GET",
      "/api/simulator/devices",
    ),
  simInput: (device: string, body: Record<string, unknown>) =>
    request<{ ok: true }>("POST", `/api/simulator/${enc(device)}/input`, body),
};
