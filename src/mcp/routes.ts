import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { notFound } from "../errors";
import { CreateServerBody, ServerIdParams, SessionParams, ToggleBody, UpdateServerBody } from "./model";
import { MCP_AGENTS, type McpService } from "./service";

export interface McpRouteDeps {
  mcp: McpService;
  auth: AuthService;
  /** For the servers that failed to start in a session. */
  gateway?: {
    sessionState(sessionId: string): Promise<{ errors: Map<string, string>; listedAt: Date | null }>;
    flushed(): Promise<void>;
  };
}

const CallsQuery = v.object({
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,4}$/, "a number 1–1000"), v.transform(Number), v.minValue(1), v.maxValue(1000)),
  ),
});

/** /api/mcp/… (the registry) and GET /api/sessions/{id}/mcp-calls (the audit). */
export function createMcpRoutes({ mcp, auth, gateway }: McpRouteDeps) {
  const params = ServerIdParams;
  return new Elysia({ name: "mcp-servers" })
    .use(requireAuth(auth))
    .get(
      "/api/sessions/:id/mcp-calls",
      async ({ params: p, query }) => {
        const session = await mcp.store.sessionServers(p.id);
        if (!session) throw notFound("session");
        await gateway?.flushed();
        const state = await gateway?.sessionState(p.id);
        return {
          calls: (await mcp.store.calls(p.id, query.limit ?? 200)).map((c) => ({
            ...c,
            createdAt: c.createdAt.toISOString(),
          })),
          errors: Object.fromEntries(state?.errors ?? []),
          connectedAt: state?.listedAt?.toISOString() ?? null,
          servers: session.mcpServers ?? [],
        };
      },
      { params: SessionParams, query: CallsQuery },
    )
    .get("/api/mcp/agents", () => ({ agents: MCP_AGENTS }))
    .group("/api/mcp/servers", (app) =>
      app
        .get("/", async () => ({ servers: await mcp.list() }))
        .post(
          "/",
          async ({ body, set }) => {
            set.status = 201;
            return mcp.create(body);
          },
          { body: CreateServerBody },
        )
        .get("/:id", async ({ params: p }) => mcp.view(await mcp.row(p.id)), { params })
        .put("/:id", ({ params: p, body }) => mcp.update(p.id, body), { params, body: UpdateServerBody })
        .patch("/:id/toggle", ({ params: p, body }) => mcp.toggle(p.id, body.enabled), { params, body: ToggleBody })
        .delete(
          "/:id",
          async ({ params: p, set }) => {
            await mcp.remove(p.id);
            set.status = 204;
          },
          { params },
        )
        .post("/:id/test", ({ params: p }) => mcp.test(p.id), { params }),
    );
}
