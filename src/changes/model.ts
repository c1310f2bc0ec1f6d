import * as v from "valibot";

const whole = (what: string, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,7}$/, `${what} (a whole number)`),
    v.transform(Number),
    v.maxValue(max, `at most ${max}`),
  );

export const ChangesQuery = v.object({
  mode: v.optional(
    v.picklist(
      ["working", "unstaged", "staged", "baseline", "branch"],
      "working, unstaged, staged, baseline or branch",
    ),
    "working",
  ),
  offset: v.optional(whole("an offset", 10_000_000), "0"),
  limit: v.optional(v.pipe(whole("a page size", 1000), v.minValue(1, "at least 1")), "200"),
  context: v.optional(whole("context lines", 100_000), "3"),
});

const gitPath = v.pipe(
  v.string(),
  v.minLength(1, "path is required"),
  v.maxLength(4096),
  v.check(
    (p) => !p.startsWith("-") && !p.startsWith("/") && !p.includes("..") && !p.includes("\0"),
    "a path inside the repository (no leading - or /, no ..)",
  ),
);

export const LogQuery = v.object({
  ref: v.optional(v.pipe(v.string(), v.maxLength(200))),
  path: v.optional(gitPath),
  limit: v.optional(v.pipe(whole("a count", 500), v.minValue(1)), "50"),
});

export const ReviewBody = v.strictObject({
  comments: v.pipe(
    v.array(
      v.strictObject({
        path: gitPath,
        line: v.pipe(v.number("line must be a number"), v.integer(), v.minValue(1, "at least 1")),
        side: v.optional(v.picklist(["new", "old"], "new or old")),
        body: v.pipe(v.string(), v.minLength(1, "a note is required"), v.maxLength(4000, "at most 4000 characters")),
      }),
    ),
    v.maxLength(200, "at most 200 notes"),
  ),
  summary: v.optional(v.pipe(v.string(), v.maxLength(8000, "at most 8000 characters"))),
  id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
});
export type ReviewBody = v.InferOutput<typeof ReviewBody>;
