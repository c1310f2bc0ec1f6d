export { AskPrompts } from "./asks";
export { type BuiltinDeps, Builtins } from "./builtins";
export { type McpConnectDeps, McpFeature, type McpFeatureDeps } from "./feature";
export { createMcpGateway, McpGateway, type McpGatewayDeps } from "./gateway";
export type { McpServerView, UpstreamSpec } from "./model";
export { mcpResolver, removeRendered } from "./render";
export { createMcpRoutes, type McpRouteDeps } from "./routes";
export { MCP_AGENTS, McpService, type McpServiceDeps } from "./service";
export { Upstream, UpstreamPool } from "./upstream";
