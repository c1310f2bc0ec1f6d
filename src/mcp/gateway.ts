import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { Elysia } from "elysia";
import { log } from "../log";
import { version } from "../version";
import type { Builtins } from "./builtins";
import { type McpServerRow, namespaced, toolAllowed } from "./model";
import { scrubSecrets } from "./scrub";
import type { McpService } from "./service";
import { UpstreamPool } from "./upstream";

export interface McpGatewayDeps {
  mcp: McpService;
  /** The per-session token check shared with the model gateway (src/llm/tokens.ts). */
  verify: (sessionId: string, token: string) => Promise<boolean>;
  builtins: Builtins;
  /** How long a shared upstream stays up without a call. */
  idleMs?: number;
}

const SESSION_CACHE_MS = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (t: string, isError = false): CallToolResult => ({ content: [{ type: "text", text: t }], isError });

/** A session's servers' last start errors and when its agent last listed the tools: it is connected. */
export interface GatewaySessionState {
  errors: Map<string, string>;
  listedAt: Date | null;
}

/**
 * The one MCP server, `opendray`, every agent session talks to: the session's registry servers'
 * tools as `<server>__<tool>` plus the built-in tools, every call audited.
 */
export class McpGateway {
  readonly pool: UpstreamPool;
  private readonly sessions = new Map<string, { at: number; type: string; servers: McpServerRow[] }>();
  /**
   * Shown in each session's tool-call log; kept in Postgres too (a restart keeps them), read back on a
   * session's first use. While the database is down, memory carries on.
   */
  private readonly states = new Map<string, GatewaySessionState>();
  private readonly stateReads = new Map<string, Promise<GatewaySessionState>>();
  /** Sessions whose listing time is queued to be written (the write takes the latest). */
  private readonly listingQueued = new Set<string>();
  /** The audit and the kept state, written in order off the calls' path. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly deps: McpGatewayDeps) {
    this.pool = new UpstreamPool(deps.idleMs ?? 5 * 60_000, (spec, error) => void deps.mcp.noteStart(spec, error));
    deps.mcp.onChange = (id) => {
      this.sessions.clear();
      this.pool.drop(id);
    };
  }

  private async servers(sessionId: string) {
    const hit = this.sessions.get(sessionId);
    if (hit && performance.now() - hit.at < SESSION_CACHE_MS) return hit;
    const s = await this.deps.mcp.store.sessionServers(sessionId);
    const ids = s?.mcpServers ?? [];
    const rows = (await this.deps.mcp.store.servers()).filter((r) => r.enabled && ids.includes(r.id));
    const entry = { at: performance.now(), type: s?.sessionType ?? "", servers: rows };
    this.sessions.set(sessionId, entry);
    return entry;
  }

  private use<T>(row: McpServerRow, fn: Parameters<UpstreamPool["use"]>[2]) {
    return this.pool.use(this.deps.mcp.spec(row), `${row.id}:${row.updatedAt.getTime()}`, fn) as Promise<T>;
  }

  /** The session's kept state, read from the database on first use. */
  sessionState(sessionId: string): Promise<GatewaySessionState> {
    const known = this.states.get(sessionId);
    if (known) return Promise.resolve(known);
    let read = this.stateReads.get(sessionId);
    if (!read) {
      read = this.deps.mcp.store
        .sessionState(sessionId)
        .catch((error): GatewaySessionState => {
          log.warn("the session's MCP state could not be read back", { sessionId, error });
          return { errors: new Map(), listedAt: null };
        })
        .then((kept) => {
          const state = this.states.get(sessionId) ?? kept;
          this.states.set(sessionId, state);
          this.stateReads.delete(sessionId);
          return state;
        });
      this.stateReads.set(sessionId, read);
    }
    return read;
  }

  private write(what: string, sessionId: string, run: () => Promise<unknown>) {
    this.writes = this.writes.then(() =>
      run().then(
        () => {},
        (error) => log.warn(`${what} not kept`, { sessionId, error }),
      ),
    );
  }

  /** A server's start result under its current name; one kept under a name it had before goes. */
  private noteStart(sessionId: string, state: GatewaySessionState, row: McpServerRow, error: string | null) {
    for (const former of row.formerNames) this.noteError(sessionId, state, former, null);
    this.noteError(sessionId, state, row.name, error);
  }

  /** Writes only a change: a server that keeps failing the same way costs no write. */
  private noteError(sessionId: string, state: GatewaySessionState, server: string, error: string | null) {
    if ((state.errors.get(server) ?? null) === error) return;
    if (error) state.errors.set(server, error);
    else state.errors.delete(server);
    this.write("mcp start error", sessionId, () => this.deps.mcp.store.setSessionError(sessionId, server, error));
  }

  private noteListed(sessionId: string, state: GatewaySessionState) {
    state.listedAt = new Date();
    if (this.listingQueued.has(sessionId)) return;
    this.listingQueued.add(sessionId);
    this.write("mcp listing time", sessionId, () => {
      this.listingQueued.delete(sessionId);
      return state.listedAt ? this.deps.mcp.store.setListedAt(sessionId, state.listedAt) : Promise.resolve();
    });
  }

  async listTools(sessionId: string): Promise<Tool[]> {
    const state = await this.sessionState(sessionId);
    const { servers } = await this.servers(sessionId);
    const lists = await Promise.all(
      servers.map(async (row) => {
        try {
          const tools = await this.use<Tool[]>(row, (_up, e) => e.tools());
          this.noteStart(sessionId, state, row, null);
          return tools
            .filter((t) => toolAllowed(row, t.name))
            .map((t) => ({ ...t, name: namespaced(row.name, t.name) }));
        } catch (error) {
          const message = scrubSecrets(error instanceof Error ? error.message : String(error), this.deps.mcp.spec(row));
          log.warn("mcp server did not start", { server: row.name, sessionId, error: message });
          this.noteStart(sessionId, state, row, message);
          return [];
        }
      }),
    );
    this.noteListed(sessionId, state);
    return [...this.deps.builtins.tools(), ...lists.flat()];
  }

  async callTool(sessionId: string, name: string, args: Record<string, unknown> | undefined, signal?: AbortSignal) {
    const started = performance.now();
    let result: CallToolResult;
    try {
      result = await this.dispatch(sessionId, name, args, signal);
    } catch (error) {
      result = text(error instanceof Error ? error.message : String(error), true);
    }
    // Written in order, off the call's path; GET …/mcp-calls waits for what is queued.
    const call = {
      tool: name,
      arguments: args ?? {},
      result: forAudit(result),
      isError: !!result.isError,
      ms: performance.now() - started,
    };
    this.write("mcp call audit", sessionId, () => this.deps.mcp.store.addCall(sessionId, call));
    return result;
  }

  /** Resolves once every call made so far is in the audit, and the state noted so far is kept. */
  flushed(): Promise<void> {
    return this.writes;
  }

  private async dispatch(
    sessionId: string,
    name: string,
    args: Record<string, unknown> | undefined,
    signal?: AbortSignal,
  ): Promise<CallToolResult> {
    const builtin = this.deps.builtins.get(name);
    if (builtin) return builtin(sessionId, args ?? {}, signal);
    const cut = name.indexOf("__");
    const prefix = cut > 0 ? name.slice(0, cut) : "";
    const { servers } = await this.servers(sessionId);
    // A renamed server still answers to the names its tools were listed under before the rename.
    const row = servers.find((r) => r.name === prefix) ?? servers.find((r) => r.formerNames.includes(prefix));
    if (!row) return text(`no tool named ${name} in this session`, true);
    const tool = name.slice(cut + 2);
    if (!toolAllowed(row, tool)) return text(`the tool ${name} is not allowed (MCP servers → ${row.name})`, true);
    return this.use<CallToolResult>(row, (up) => up.call(tool, args));
  }

  /** One streamable-HTTP exchange; stateless, so a server restart or a second agent process costs nothing. */
  async handle(request: Request, sessionId: string): Promise<Response> {
    const auth = request.headers.get("authorization");
    const token = auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : "";
    if (!token || !UUID.test(sessionId) || !(await this.deps.verify(sessionId, token))) {
      return Response.json(
        { jsonrpc: "2.0", error: { code: -32001, message: "unknown session or token" }, id: null },
        { status: 401, headers: { "www-authenticate": 'Bearer realm="opendray"' } },
      );
    }
    let body: string | undefined;
    if (request.method === "POST") {
      body = await request.text();
      const fast = await this.fastPath(body, sessionId, request.signal);
      if (fast) return fast;
      request = new Request(request.url, { method: "POST", headers: request.headers, body });
    }
    const server = new Server({ name: "opendray", version }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await this.listTools(sessionId) }));
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) =>
      this.callTool(sessionId, req.params.name, req.params.arguments, extra.signal),
    );
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      void server.close();
    }
  }

  /**
   * A single tools/call or tools/list answered without building an SDK server for the exchange (the
   * bulk of an agent's traffic); anything else, or anything unexpected, takes the SDK's path.
   */
  private async fastPath(body: string, sessionId: string, signal: AbortSignal): Promise<Response | null> {
    let msg: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: Record<string, unknown> };
    try {
      msg = JSON.parse(body);
    } catch {
      return null;
    }
    if (!msg || typeof msg !== "object" || Array.isArray(msg) || msg.jsonrpc !== "2.0") return null;
    const id = msg.id;
    if (typeof id !== "string" && typeof id !== "number") return null;
    const params = msg.params ?? {};
    if (typeof params !== "object" || params === null || Array.isArray(params)) return null;
    let result: unknown;
    if (msg.method === "tools/list" && params.cursor === undefined) {
      result = { tools: await this.listTools(sessionId) };
    } else if (msg.method === "tools/call" && typeof params.name === "string") {
      const args = params.arguments;
      if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) return null;
      result = await this.callTool(sessionId, params.name, args as Record<string, unknown> | undefined, signal);
    } else return null;
    return new Response(JSON.stringify({ jsonrpc: "2.0", id, result }), {
      headers: { "content-type": "application/json" },
    });
  }

  stop() {
    this.pool.closeAll();
  }
}

/** The gateway's route (no OpenDray login: the session token is the credential). */
export function createMcpGateway(gateway: McpGateway) {
  const handler = ({ request, params }: { request: Request; params: { sid: string } }) =>
    gateway.handle(request, params.sid);
  return new Elysia({ name: "mcp-gateway" })
    .get("/mcp/s/:sid", handler, { parse: "none" })
    .post("/mcp/s/:sid", handler, { parse: "none" })
    .delete("/mcp/s/:sid", handler, { parse: "none" });
}

/** The result as the audit keeps it: images as their size, not their bytes. */
function forAudit(result: CallToolResult): CallToolResult {
  if (!result.content?.some((c) => c.type === "image")) return result;
  return {
    ...result,
    content: result.content.map((c) =>
      c.type === "image" ? { ...c, data: `[${Math.round((c.data.length * 3) / 4)} bytes]` } : c,
    ),
  };
}
