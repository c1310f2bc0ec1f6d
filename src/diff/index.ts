import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { AppError } from "../errors";
import { SessionIdParams } from "../sessions/model";
import { sessionDiff } from "./service";

export type { DiffFile, FileStatus, SessionDiff } from "./service";
export { captureBaseline, sessionDiff } from "./service";

/** The slice of the session service the diff needs; diffInfo throws a not_found AppError for unknown ids. */
export interface DiffSessions {
  diffInfo(id: string): Promise<{ cwd: string; baseline: string | null }>;
}

export function createDiffRoutes({ auth, sessions }: { auth: AuthService; sessions: DiffSessions }) {
  return new Elysia({ prefix: "/api/sessions" }).use(requireAuth(auth)).get(
    "/:id/diff",
    async ({ params }) => {
      const info = await sessions.diffInfo(params.id);
      if (!info.baseline) throw new AppError("not_found", "this session's directory is not a git repository");
      return await sessionDiff(info.cwd, info.baseline);
    },
    { params: SessionIdParams },
  );
}
