import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { AppError } from "../errors";
import { SessionIdParams } from "../sessions/model";
import { text } from "../shared/schema";
import type { ScreenModel, SearchHit } from "./index";

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
 * GET /api/sessions/:id/search?q=&limit= → matching lines of the scrollback (of an ended session: of its output).
 */
export function createScreenRoutes(deps: {
  /** Throws AppError not_found for an unknown or stopped session. */
  screen: (sessionId: string) => ScreenModel;
  /** Searches a session that is not running (throws not_found for an unknown one). */
  searchEnded?: (sessionId: string, q: string, limit: number) => Promise<SearchHit[]>;
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
      async ({ params, query }) => {
        let model: ScreenModel;
        try {
          model = screen(params.id);
        } catch (e) {
          if (!(e instanceof AppError && e.code === "not_found" && deps.searchEnded)) throw e;
          return { q: query.q, hits: await deps.searchEnded(params.id, query.q, query.limit) };
        }
        return { q: query.q, hits: await model.search(query.q, query.limit) };
      },
      { params: SessionIdParams, query: SearchQuery },
    );
}
