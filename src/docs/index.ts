import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { type FilesSessions, Roots } from "../files";
import { type PluginRegistry, panelGuard } from "../plugins";
import { DocsQuery, RenderQuery } from "./model";
import { listDocs, renderDoc } from "./service";

export { renderMarkdown, resolveRelative } from "./render";
export { type DocEntry, listDocs, renderDoc } from "./service";

export interface DocsSessions extends FilesSessions {
  get(id: string): Promise<{ startedAt: string | null; createdAt: string }>;
}

export interface DocsDeps {
  auth: AuthService;
  registry: PluginRegistry;
  sessions: DocsSessions;
  configRoots?: string[];
}

const rootQuery = (q: { sessionId?: string; root?: string }) =>
  q.sessionId ? `sessionId=${q.sessionId}` : `root=${encodeURIComponent(q.root ?? "")}`;

/** The Markdown reader: documents under a session's directory (changed in the session first), rendered. */
export function createDocsRoutes(deps: DocsDeps) {
  const roots = new Roots(deps);
  return new Elysia({ prefix: "/api/docs" })
    .use(panelGuard(deps.registry, "docs"))
    .use(requireAuth(deps.auth))
    .get(
      "/",
      async ({ query }) => {
        const root = await roots.resolve(query);
        let since: Date | null = null;
        if (query.sessionId) {
          const s = await deps.sessions.get(query.sessionId);
          since = new Date(s.startedAt ?? s.createdAt);
        }
        return { docs: listDocs(root, since) };
      },
      { query: DocsQuery },
    )
    .get("/render", async ({ query }) => renderDoc(await roots.resolve(query), query.path, rootQuery(query)), {
      query: RenderQuery,
    });
}
