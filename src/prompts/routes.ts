import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { AppError } from "../errors";
import { SessionIdParams } from "../sessions/model";
import { text } from "../shared/schema";
import type { PromptTracker } from "./tracker";

const AnswerBody = v.strictObject({
  promptId: v.pipe(text(), v.minLength(1, "promptId is required")),
  keys: v.pipe(v.array(v.pipe(text(), v.minLength(1), v.maxLength(16))), v.maxLength(32)),
});

/** How long POST …/prompt/answer waits for the agent to take the answer. */
export const ANSWER_WAIT_MS = 5000;

/**
 * GET /api/sessions/:id/prompt → the open prompt or null (null for an ended session too);
 * POST /api/sessions/:id/prompt/answer {promptId, keys} → {sent, outcome, prompt}
 * (409 stale when the prompt is gone or changed, 422 invalid_key for a key it does not offer).
 */
export function createPromptRoutes(deps: {
  /** Throws AppError not_found for an unknown or stopped session. */
  tracker: (sessionId: string) => Pick<PromptTracker, "current" | "answerAndWait">;
  /** Throws AppError not_found for an unknown session (a stopped one exists and has no prompt). */
  exists?: (sessionId: string) => Promise<unknown>;
  auth: AuthService;
}) {
  const { tracker } = deps;
  return new Elysia({ prefix: "/api/sessions" })
    .use(requireAuth(deps.auth))
    .get(
      "/:id/prompt",
      async ({ params }) => {
        try {
          return Response.json(tracker(params.id).current());
        } catch (e) {
          if (!(e instanceof AppError && e.code === "not_found" && deps.exists)) throw e;
          await deps.exists(params.id);
          return Response.json(null);
        }
      },
      { params: SessionIdParams },
    )
    .post(
      "/:id/prompt/answer",
      async ({ params, body }) => {
        const { bytes, outcome, prompt } = await tracker(params.id).answerAndWait(
          body.promptId,
          body.keys,
          ANSWER_WAIT_MS,
        );
        return { sent: bytes, outcome, prompt };
      },
      { params: SessionIdParams, body: AnswerBody },
    );
}
