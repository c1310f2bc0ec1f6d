import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { SessionIdParams } from "../sessions/model";
import { text } from "../shared/schema";
import type { ScreenModel } from "./index";

const ScreenQuery = v.object({
  format: v.optional(v.picklist(["text", "ansi"]), "text"),
  scrollback: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(0), v.maxValue(10000)), "200"),
});
const SearchQuery = v.object({
  q: v.pipe(text(), v.minLength(1, "q is required"), v.maxLength(200)),
  limit: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(1000)), "100"),
});

/**
 * GET /api/sessions/:id/screen[?format=ansi&scrollback=N] → the rendered screen as text lines or ANSI;
 * GET /api/sessions/:id/search?q=&limit= → matching lines of the scrollback.
 */
export function createScreenRoutes(deps: {
  /** Throws AppError not_found for an unknown or stopped session. */
  screen: (sessionId: string) => ScreenModel;
  auth: AuthService;
}) {
  const { screen } = deps;
  return new Elysia({ prefix: "/api/sessions" })
    .use(requireAuth(deps.auth))
    .get(
      "/:id/screen",
      async ({ params, query }) => {
        const model = screen(params.id);
        if (query.format === "ansi") return model.serialize({ scrollbackLines: query.scrollback, settled: true });
        const { lines, cursor, cols, rows, byteCursor } = await model.snapshot({ settled: true });
        return { lines, cursor, cols, rows, byteCursor };
      },
      { params: SessionIdParams, query: ScreenQuery },
    )
    .get(
      "/:id/search",
      async ({ params, query }) => ({ q: query.q, hits: await screen(params.id).search(query.q, query.limit) }),
      { params: SessionIdParams, query: SearchQuery },
    );
}
