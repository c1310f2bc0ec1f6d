import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { notFound } from "../errors/index";
import type { ScreenModel, SearchHit } from "../screen/index";
import type { Prompt, PromptChange, PromptTracker } from "./tracker";

/** What the routes need of a session's screen and prompt; answered in process or by the PTY daemon. */
export interface SessionScreens {
  /** Throws AppError not_found for an unknown or stopped session. */
  prompt(sessionId: string): Promise<Prompt | null>;
  /** Sends the keys, waits for the prompt to clear or change; AppError 409 (stale) / 422 (invalid_key). */
  answer(
    sessionId: string,
    promptId: string,
    keys: string[],
    timeoutMs: number,
  ): Promise<{ sent: string; outcome: PromptChange; prompt: Prompt | null }>;
  screen(
    sessionId: string,
  ): Promise<{ lines: string[]; cursor: { x: number; y: number }; cols: number; rows: number; byteCursor: number }>;
  screenAnsi(
    sessionId: string,
    scrollbackLines: number,
  ): Promise<{ data: string; cols: number; rows: number; byteCursor: number }>;
  search(sessionId: string, q: string, limit: number): Promise<SearchHit[]>;
}

/** SessionScreens over screens and trackers held in this process (the daemon's side, tests). */
export function localSessionScreens(
  lookup: (sessionId: string) => { screen: ScreenModel; tracker: PromptTracker } | undefined,
): SessionScreens {
  const get = (id: string) => {
    const found = lookup(id);
    if (!found) throw notFound("session");
    return found;
  };
  return {
    prompt: async (id) => get(id).tracker.current(),
    answer: async (id, promptId, keys, timeoutMs) => {
      const { bytes, outcome, prompt } = await get(id).tracker.answerAndWait(promptId, keys, timeoutMs);
      return { sent: bytes, outcome, prompt };
    },
    screen: async (id) => {
      const { lines, cursor, cols, rows, byteCursor } = await get(id).screen.snapshot({ settled: true });
      return { lines, cursor, cols, rows, byteCursor };
    },
    screenAnsi: async (id, scrollbackLines) => get(id).screen.serialize({ scrollbackLines, settled: true }),
    search: async (id, q, limit) => get(id).screen.search(q, limit),
  };
}

const Params = v.object({ id: v.pipe(v.string(), v.minLength(1)) });
const AnswerBody = v.strictObject({
  promptId: v.pipe(v.string(), v.minLength(1, "promptId is required")),
  keys: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(16))), v.maxLength(32)),
});
const ScreenQuery = v.object({
  format: v.optional(v.picklist(["text", "ansi"]), "text"),
  scrollback: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(10000)), "200"),
});
const SearchQuery = v.object({
  q: v.pipe(v.string(), v.minLength(1, "q is required"), v.maxLength(200)),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(1000)), "100"),
});

/** How long POST …/prompt/answer waits for the agent to take the answer. */
const ANSWER_WAIT_MS = 5000;

/**
 * GET /api/sessions/:id/prompt → the open prompt or null;
 * POST /api/sessions/:id/prompt/answer {promptId, keys} → {sent, outcome, prompt};
 * GET /api/sessions/:id/screen[?format=ansi&scrollback=N]; GET /api/sessions/:id/search?q=&limit=.
 */
export function createPromptRoutes(deps: { screens: SessionScreens; auth: AuthService }) {
  const { screens } = deps;
  return new Elysia({ prefix: "/api/sessions" })
    .use(requireAuth(deps.auth))
    .get("/:id/prompt", async ({ params }) => Response.json(await screens.prompt(params.id)), { params: Params })
    .post(
      "/:id/prompt/answer",
      async ({ params, body }) => await screens.answer(params.id, body.promptId, body.keys, ANSWER_WAIT_MS),
      {
        params: Params,
        body: AnswerBody,
      },
    )
    .get(
      "/:id/screen",
      async ({ params, query }) =>
        await (query.format === "ansi" ? screens.screenAnsi(params.id, query.scrollback) : screens.screen(params.id)),
      {
        params: Params,
        query: ScreenQuery,
      },
    )
    .get(
      "/:id/search",
      async ({ params, query }) => ({ q: query.q, hits: await screens.search(params.id, query.q, query.limit) }),
      {
        params: Params,
        query: SearchQuery,
      },
    );
}
