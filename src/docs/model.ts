import * as v from "valibot";

const sessionId = v.optional(v.pipe(v.string(), v.uuid("a session id (UUID)")));
const rootName = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)));

export const DocsQuery = v.object({ sessionId, root: rootName });
export const RenderQuery = v.object({
  sessionId,
  root: rootName,
  path: v.pipe(v.string("path is required"), v.minLength(1, "path is required"), v.maxLength(4096)),
});
