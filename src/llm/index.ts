export { createLlmGateway, type LlmGatewayDeps } from "./gateway";
export { routedResolver } from "./launch";
export type { ProviderView, SessionRoute, Wire } from "./model";
export { createLlmRoutes, type LlmRouteDeps } from "./routes";
export { LlmService, type LlmServiceDeps, type RouteRequest } from "./service";
