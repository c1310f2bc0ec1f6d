import * as v from "valibot";

const sessionId = v.optional(v.pipe(v.string(), v.uuid("a session id (UUID)")));
const rootName = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)));

/** Log files: .log .txt .out .err. */
export const LOG_FILE = /\.(log|txt|out|err)$/i;

export const LogWsQuery = v.object({
  token: v.optional(v.string()),
  sessionId,
  root: rootName,
  path: v.pipe(
    v.string("path is required"),
    v.minLength(1, "path is required"),
    v.maxLength(4096),
    v.regex(LOG_FILE, "a .log, .txt, .out or .err file"),
  ),
  since: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,15}$/, "a byte cursor (a whole number ≥ 0)"), v.transform(Number)),
  ),
  grep: v.optional(v.pipe(v.string(), v.maxLength(500, "at most 500 characters"))),
});

export const LogListQuery = v.object({ sessionId, root: rootName });
