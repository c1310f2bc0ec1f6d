import type { Wire } from "./model";

const anthropicType = (status: number) =>
  status === 400 || status === 413 || status === 422
    ? "invalid_request_error"
    : status === 401
      ? "authentication_error"
      : status === 403
        ? "permission_error"
        : status === 404
          ? "not_found_error"
          : status === 429
            ? "rate_limit_error"
            : "overloaded_error";

const openaiType = (status: number) =>
  status === 401
    ? "authentication_error"
    : status === 429
      ? "rate_limit_exceeded"
      : status >= 500
        ? "server_error"
        : "invalid_request_error";

const geminiStatus = (status: number) =>
  status === 400
    ? "INVALID_ARGUMENT"
    : status === 401
      ? "UNAUTHENTICATED"
      : status === 403
        ? "PERMISSION_DENIED"
        : status === 404
          ? "NOT_FOUND"
          : status === 429
            ? "RESOURCE_EXHAUSTED"
            : status === 503
              ? "UNAVAILABLE"
              : "INTERNAL";

/**
 * An error in the agent's own envelope, keeping the upstream's status and message. 5xx and
 * overloads become Anthropic's 529 overloaded_error, which Claude Code retries.
 */
export function wireError(wire: Wire, status: number, message: string, retryAfter?: string | null): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (retryAfter) headers["retry-after"] = retryAfter;
  if (wire === "anthropicMessages") {
    const out = status >= 500 ? 529 : status;
    return Response.json({ type: "error", error: { type: anthropicType(status), message } }, { status: out, headers });
  }
  if (wire === "geminiGenerate")
    return Response.json({ error: { code: status, message, status: geminiStatus(status) } }, { status, headers });
  return Response.json({ error: { message, type: openaiType(status), code: status } }, { status, headers });
}

/** The message an upstream put in its error body (any of the four envelopes), or its text. */
export function upstreamMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof j.error === "string") return j.error;
    if (j.error?.message) return j.error.message;
    if (j.message) return j.message;
  } catch {}
  return text.slice(0, 2000) || "no message";
}
