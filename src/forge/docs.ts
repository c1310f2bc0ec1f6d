import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { notFound } from "../errors";
import type { ConfigValue } from "../plugins/config-values";
import { type PanelLookup, panelGuard } from "../plugins/panel-guard";
import { DocsFileQuery, DocsSearchQuery } from "./model";
import { docsForge } from "./service";

const isMarkdown = (p: string) => /\.(md|markdown)$/i.test(p);
const MAX_SEARCH = 50;

/** /api/forge/docs/…: the Obsidian reader, Markdown of the docs panel's forge repository. */
export function createDocsRoutes(
  registry: PanelLookup & { config(name: string): Record<string, ConfigValue> },
  auth: AuthService,
) {
  const forge = () => docsForge(registry.config("docs"));
  const markdown = async () => {
    const f = forge();
    return { f, files: (await f.client.tree(f.branch)).filter(isMarkdown).sort() };
  };
  return new Elysia({ prefix: "/api/forge/docs" })
    .use(requireAuth(auth))
    .use(panelGuard(registry, "docs"))
    .get("/tree", async () => {
      const { f, files } = await markdown();
      return { repo: f.repo.path, forge: f.repo.forge, branch: f.branch, files };
    })
    .get(
      "/file",
      async ({ query }) => {
        if (!isMarkdown(query.path)) throw notFound(`Markdown file ${query.path}`);
        const f = forge();
        return { path: query.path, content: await f.client.file(query.path, f.branch) };
      },
      { query: DocsFileQuery },
    )
    .get(
      "/search",
      async ({ query }) => {
        const q = query.q.toLowerCase();
        const { files } = await markdown();
        const hits = files.filter((p) => p.toLowerCase().includes(q));
        return { files: hits.slice(0, MAX_SEARCH), truncated: hits.length > MAX_SEARCH };
      },
      { query: DocsSearchQuery },
    );
}
