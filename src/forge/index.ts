import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import type { ConfigValue } from "../plugins/config-values";
import { type PanelLookup, panelGuard } from "../plugins/panel-guard";
import { createDocsRoutes } from "./docs";
import { PullParams, PullsQuery, RepoQuery } from "./model";
import { type ForgeSource, sessionForge } from "./service";

export type { ForgeClient, PullRequest, RepoRef } from "./model";
export { parseRemote, resolveRepo } from "./remote";

export interface ForgeRouteDeps {
  auth: AuthService;
  registry: PanelLookup & { config(name: string): Record<string, ConfigValue> };
  sessions: { get(id: string): Promise<{ cwd: string }> };
  /** `gh auth token` by default. */
  ghToken?: (host: string) => Promise<string | null>;
}

/** /api/forge/…: pull requests of the session's repository, read-only; /api/forge/docs/… the docs reader. */
export function createForgeRoutes(deps: ForgeRouteDeps) {
  const src: ForgeSource = {
    config: (name) => deps.registry.config(name),
    sessionCwd: async (id) => (await deps.sessions.get(id)).cwd,
    ghToken: deps.ghToken,
  };
  const repoView = (f: Awaited<ReturnType<typeof sessionForge>>) => ({
    forge: f.repo.forge,
    host: f.repo.host,
    path: f.repo.path,
    webUrl: `${f.repo.webBase}/${f.repo.path}`,
    branch: f.branch,
    tokenSet: f.tokenSet,
  });
  const prs = new Elysia({ prefix: "/api/forge" })
    .use(requireAuth(deps.auth))
    .use(panelGuard(deps.registry, "forge"))
    .get("/repo", async ({ query }) => repoView(await sessionForge(src, query.sessionId)), { query: RepoQuery })
    .get(
      "/prs",
      async ({ query }) => {
        const f = await sessionForge(src, query.sessionId);
        const [mine, listed] = await Promise.all([
          f.branch ? f.client.pullsForBranch(f.branch) : Promise.resolve([]),
          f.client.pulls(query.state, query.limit),
        ]);
        const current = mine[0] ?? null;
        const rest = listed.filter((p) => p.number !== current?.number);
        return { repo: repoView(f), current, pulls: (current ? [current, ...rest] : rest).slice(0, query.limit) };
      },
      { query: PullsQuery },
    )
    .get(
      "/prs/:number",
      async ({ params, query }) => (await sessionForge(src, query.sessionId)).client.pull(params.number),
      { params: PullParams, query: RepoQuery },
    )
    .get(
      "/prs/:number/diff",
      async ({ params, query }) =>
        new Response(await (await sessionForge(src, query.sessionId)).client.diff(params.number), {
          headers: { "content-type": "text/x-diff; charset=utf-8" },
        }),
      { params: PullParams, query: RepoQuery },
    )
    .get(
      "/prs/:number/comments",
      async ({ params, query }) => ({
        comments: await (await sessionForge(src, query.sessionId)).client.comments(params.number),
      }),
      { params: PullParams, query: RepoQuery },
    )
    .get(
      "/prs/:number/reviews",
      async ({ params, query }) => ({
        reviews: await (await sessionForge(src, query.sessionId)).client.reviews(params.number),
      }),
      { params: PullParams, query: RepoQuery },
    )
    .get(
      "/prs/:number/checks",
      async ({ params, query }) => ({
        checks: await (await sessionForge(src, query.sessionId)).client.checks(params.number),
      }),
      { params: PullParams, query: RepoQuery },
    );
  return new Elysia({ name: "forge" }).use(prs).use(createDocsRoutes(deps.registry, deps.auth));
}
