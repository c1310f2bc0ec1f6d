import * as v from "valibot";
import { AppError, type FieldIssue } from "../errors";
import { log } from "../log";
import { dbUnavailable, isDbUnavailable } from "../store/unavailable";
import { describeIssues } from "./issues";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

function validationIssues(error: { validator?: { schema?: unknown }; value?: unknown; type?: string }): FieldIssue[] {
  const schema = error.validator?.schema as v.GenericSchema | undefined;
  if (schema && typeof schema === "object" && "kind" in schema) {
    const result = v.safeParse(schema, error.value);
    if (!result.success) {
      return describeIssues(result.issues);
    }
  }
  return [{ path: "body", message: "invalid" }];
}

/** The one place errors become HTTP answers: `{ error: { code, message, issues? } }`. */
export function errorResponse(code: string | number, error: unknown, request: Request): Response {
  // A hook that throws while the body is parsed (requireAuth's 401, the body guard's 413 or 400)
  // reaches us wrapped in Elysia's ParseError.
  const cause = code === "PARSE" ? (error as Error).cause : undefined;
  if (cause instanceof AppError) return errorResponse("", cause, request);
  if (error instanceof AppError) {
    const response = json(error.status, error.toJSON());
    const retryAfter = error.extra?.retryAfter;
    if (typeof retryAfter === "number") response.headers.set("retry-after", String(retryAfter));
    return response;
  }
  if (isDbUnavailable(error)) return json(503, dbUnavailable().toJSON());
  if ((error as { code?: unknown } | null)?.code === "ENOSPC") {
    log.error("a write failed: the disk is full", { path: new URL(request.url).pathname, error });
    return json(503, { error: { code: "unavailable", message: "the disk is full; free some space and try again" } });
  }
  if (code === "VALIDATION") {
    const on = (error as { type?: string; on?: string }).on ?? "body";
    const issues = validationIssues(error as never).map((i) => ({ ...i, path: i.path || on }));
    const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return json(422, { error: { code: "invalid", message, issues } });
  }
  if (code === "PARSE")
    return json(400, { error: { code: "bad_request", message: "malformed request body (expected JSON)" } });
  if (code === "NOT_FOUND") return json(404, { error: { code: "not_found", message: "not found" } });
  if (code === "INVALID_COOKIE_SIGNATURE")
    return json(400, { error: { code: "bad_request", message: "invalid cookie" } });
  log.error("unhandled error", {
    path: new URL(request.url).pathname,
    error: error instanceof Error ? error.stack : error,
  });
  return json(500, { error: { code: "internal", message: "internal error" } });
}
