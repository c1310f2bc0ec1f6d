import { realpathSync } from "node:fs";
import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { AppError } from "../errors";
import { type PluginRegistry, panelGuard } from "../plugins";
import { SessionIdParams } from "../sessions/model";
import { ChangesQuery, LogQuery, ReviewBody } from "./model";
import { composeReview, lineOf, type ReviewSessions, sendReview } from "./review";
import { gitBranches, gitLog, sessionChanges } from "./service";
import { repoTop, workTreeStatus } from "./status";

export type { ChangedFile, DiffLine, Hunk } from "./patch";
export { type ChangesMode, checkGitPath, checkRef, MODES, sessionChanges } from "./service";
export { type ChangeStatus, parsePorcelainV2, repoTop, type StatusEntry, workTreeStatus } from "./status";
export { ChangesWatcher, type WatchedSessions } from "./watch";

export interface ChangesSessions extends ReviewSessions {
  diffInfo(id: string): Promise<{ cwd: string; baseline: string | null }>;
}

export interface ChangesDeps {
  auth: AuthService;
  registry: PluginRegistry;
  sessions: ChangesSessions;
}

/** The git panel's session routes: changes by mode, status, log, branches (read-only), and review → agent. */
export function createChangesRoutes({ auth, registry, sessions }: ChangesDeps) {
  const params = SessionIdParams;
  return new Elysia({ prefix: "/api/sessions" })
    .use(panelGuard(registry, "git"))
    .use(requireAuth(auth))
    .get(
      "/:id/changes",
      async ({ params: p, query }) => {
        const info = await sessions.diffInfo(p.id);
        return sessionChanges(info.cwd, { ...query, baseline: info.baseline });
      },
      { params, query: ChangesQuery },
    )
    .get(
      "/:id/git/status",
      async ({ params: p }) => {
        const top = await repoTop((await sessions.diffInfo(p.id)).cwd);
        if (!top) throw new AppError("not_found", "this session's directory is not a git repository");
        return { top, entries: await workTreeStatus(top) };
      },
      { params },
    )
    .get("/:id/git/log", async ({ params: p, query }) => gitLog((await sessions.diffInfo(p.id)).cwd, query), {
      params,
      query: LogQuery,
    })
    .get("/:id/git/branches", async ({ params: p }) => gitBranches((await sessions.diffInfo(p.id)).cwd), { params })
    .post(
      "/:id/review",
      async ({ params: p, body }) => {
        if (!body.comments.length && !body.summary?.trim())
          throw new AppError("invalid", "comments: write at least one note or a summary", [
            { path: "comments", message: "write at least one note or a summary" },
          ]);
        const { cwd } = await sessions.diffInfo(p.id);
        const top = (await repoTop(cwd)) ?? cwd;
        const root = { name: "review", real: realpathSync(top) };
        const message = composeReview(body, (path, line) => lineOf(root, path, line));
        return sendReview(sessions, p.id, message, body.id);
      },
      { params, body: ReviewBody },
    );
}
