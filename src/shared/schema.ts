import * as v from "valibot";

/**
 * Every string field of the API refuses NUL: Postgres text cannot hold it, and in argv, env or a path
 * it cuts the value short where the kernel reads it. (Terminal input is the one exception: Ctrl+@ is NUL.)
 */
export const noNul = v.check((s: string) => !s.includes("\0"), "must not contain a NUL character");

/** A string without NUL. */
export const text = (message?: string) => v.pipe(v.string(message), noNul);

/** An absolute directory path, or one under the home directory (~, ~/…); nothing is resolved against the server's cwd. */
export const absolutePath = (message = "cwd must be a directory path") =>
  v.pipe(
    text(message),
    v.minLength(1, "cwd is required"),
    v.regex(/^(\/|~$|~\/)/, "an absolute path (/…) or one under the home directory (~/…)"),
  );

/** An optional `limit` query parameter: a whole number from 1 to `max`, `fallback` when it is absent. */
export const limitParam = (max: number, fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform(Number),
      v.integer("limit must be a whole number"),
      v.minValue(1, "limit must be at least 1"),
      v.maxValue(max, `limit must be at most ${max}`),
    ),
    String(fallback),
  );

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * A 64-bit signed integer id given as a JSON number (exact only up to 2^53) or a decimal string;
 * the output is its decimal string.
 */
export const int64Id = (message: string) =>
  v.pipe(
    v.union(
      [v.pipe(v.number(), v.safeInteger(message)), v.pipe(v.string(), noNul, v.regex(/^-?\d{1,19}$/, message))],
      message,
    ),
    v.transform(String),
    v.check((s) => {
      const n = BigInt(s);
      return n >= INT64_MIN && n <= INT64_MAX;
    }, `${message} (a 64-bit integer)`),
  );
