import * as v from "valibot";
import { AppError, type FieldIssue } from "../errors";
import { log } from "../log";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

function validationIssues(error: { validator?: { schema?: unknown }; value?: unknown; type?: string }): FieldIssue[] {
  const schema = error.validator?.schema as v.GenericSchema | undefined;
  if (schema && typeof schema === "object" && "kind" in schema) {
    const result = v.safeParse(schema, error.value);
    if (!result.success) {
      return result.issues.map((i) => ({
        path: v.getDotPath(i) ?? (error.type === "validation" ? "body" : ""),
        message: i.message,
      }));
    }
  }
  return [{ path: "body", message: "invalid" }];
}

/** The one place errors become HTTP answers: `{ error: { code, message, issues? } }`. */
export function errorResponse(code: string | number, error: unknown, request: Request): Response {
  if (error instanceof AppError) return json(error.status, error.toJSON());
  if (code === "VALIDATION") {
    const on = (error as { type?: string; on?: string }).on ?? "body";
    const issues = validationIssues(error as never).map((i) => ({ ...i, path: i.path || on }));
    const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return json(422, { error: { code: "invalid", message, issues } });
  }
  // A parse hook's own AppError (413, 400) arrives wrapped in Elysia's ParseError.
  const cause = (error as { cause?: unknown }).cause;
  if (code === "PARSE" && cause instanceof AppError) return json(cause.status, cause.toJSON());
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
