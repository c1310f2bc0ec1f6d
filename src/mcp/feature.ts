import type { AnyElysia } from "elysia";
import type { Sql } from "postgres";
import type { AuthService } from "../auth";
import type { ResolveLaunch } from "../plugins/launch";
import type { McpSpec } from "../plugins/manifest";
import type { SecretBox } from "../plugins/secret-box";
import type { LiveScreens } from "../screen/sessions";
import type { CreateSessionInput } from "../sessions/model";
import { type AskEvent, AskPrompts } from "./asks";
import { type BuiltinDeps, Builtins } from "./builtins";
import { createMcpGateway, McpGateway } from "./gateway";
import { mcpResolver, removeRendered } from "./render";
import { createMcpRoutes } from "./routes";
import { McpService } from "./service";

export interface McpFeatureDeps {
  sql: Sql;
  box: SecretBox;
  /** OPENDRAY_HOME: per-session files go to `<home>/mcp-sessions/<id>/` (0700, files 0600). */
  home: string;
  /** The agent manifest's `mcp` block; undefined for a session type that gets no MCP server. */
  spec: (sessionType: string) => McpSpec | undefined;
  /** The per-session token shared with the model gateway (src/llm/tokens.ts). */
  tokens: { mint(sessionId: string): Promise<string>; verify(sessionId: string, token: string): Promise<boolean> };
  serverUrl: () => string;
  /** argv that runs this OpenDray (selfCommand), for agents given the stdio bridge `opendray mcp-stdio`. */
  self: string[];
  config: { askTimeoutSeconds: number; idleShutdownSeconds: number; disabledBuiltins: string[] };
}

/** What the gateway's built-ins reach outside src/mcp, given once the session service exists. */
export type McpConnectDeps = Pick<BuiltinDeps, "notify" | "diff" | "screenshot"> & {
  /** Shows a prompt (or its going) on the session's sockets, Web Push and Telegram. */
  promptEvent: (sessionId: string, event: AskEvent) => void;
};

/**
 * The MCP feature as the server wires it: the registry, the launch wrapper that renders the session's
 * one `opendray` server for its agent, ask_user's prompts laid over the screens', and the gateway.
 */
export class McpFeature {
  readonly service: McpService;
  readonly asks: AskPrompts;
  gateway?: McpGateway;
  private readonly root: string;
  private emit: (sessionId: string, event: AskEvent) => void = () => {};

  constructor(private readonly deps: McpFeatureDeps) {
    this.service = new McpService({ sql: deps.sql, box: deps.box });
    this.asks = new AskPrompts((id, event) => this.emit(id, event));
    this.root = `${deps.home}/mcp-sessions`;
  }

  /** Wraps the launch resolver (inside routedResolver, so a routed session's token is the same credential). */
  resolver(inner: ResolveLaunch): ResolveLaunch {
    return mcpResolver(inner, {
      spec: this.deps.spec,
      mint: (id) => this.deps.tokens.mint(id),
      serverUrl: this.deps.serverUrl,
      self: this.deps.self,
      root: this.root,
      session: (id) => this.service.store.sessionServers(id),
    });
  }

  /** The session service's hooks: the resolved set stored with the row, the files removed with it. */
  readonly sessionHooks = {
    resolve: async (input: CreateSessionInput) =>
      this.deps.spec(input.sessionType) ? this.service.resolve(input.sessionType, input.mcpServers) : [],
    store: async (id: string, ids: string[], strict: boolean) =>
      void (await this.service.store.setSessionServers(id, ids, strict)),
    removed: (id: string) => removeRendered(this.root, id),
  };

  /** The screens with open ask_user questions laid over their prompts. */
  overlay = (screens: LiveScreens): LiveScreens => this.asks.over(screens);

  connect(deps: McpConnectDeps) {
    this.emit = deps.promptEvent;
    this.gateway = new McpGateway({
      mcp: this.service,
      verify: (id, token) => this.deps.tokens.verify(id, token),
      idleMs: this.deps.config.idleShutdownSeconds * 1000,
      builtins: new Builtins({
        asks: this.asks,
        askTimeoutMs: this.deps.config.askTimeoutSeconds * 1000,
        agentOf: async (id) => (await this.service.store.sessionServers(id))?.sessionType ?? "",
        disabled: this.deps.config.disabledBuiltins,
        notify: deps.notify,
        diff: deps.diff,
        screenshot: deps.screenshot,
      }),
    });
    return this.gateway;
  }

  routes(auth: AuthService): AnyElysia[] {
    const gateway = this.gateway;
    if (!gateway) throw new Error("McpFeature.connect() first");
    return [createMcpRoutes({ mcp: this.service, auth, gateway }), createMcpGateway(gateway)];
  }

  stop() {
    this.gateway?.stop();
  }
}
