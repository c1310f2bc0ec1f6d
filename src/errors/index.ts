export type ErrorCode =
  | "bad_request"
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited"
  | "bad_gateway"
  | "unavailable"
  | "internal";

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  bad_gateway: 502,
  unavailable: 503,
  internal: 500,
};

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.status = statusOf[code];
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}), ...this.extra },
    };
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalidField = (path: string, message: string) =>
  new AppError("invalid", `${path}: ${message}`, [{ path, message }]);
export const conflict = (message: string, extra?: Record<string, unknown>) =>
  new AppError("conflict", message, undefined, extra);
