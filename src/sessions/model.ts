import * as v from "valibot";
import { splitShellWords } from "../plugins/shell-words";

export type SessionStatus = "created" | "running" | "idle" | "waiting" | "exited";

/** A session as the API returns it. */
export interface SessionView {
  id: string;
  name: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  extraArgs: string[];
  envOverrides: Record<string, string>;
  status: SessionStatus;
  exitCode: number | null;
  pid: number | null;
  cols: number;
  rows: number;
  /** Byte cursor at the end of the session's output (monotonic, survives restarts of the server). */
  cursor: number;
  /** Agent-side conversation id used to resume (Claude's --session-id, …). */
  resumeId: string | null;
  lastLine: string;
  createdAt: string;
  startedAt: string | null;
  exitedAt: string | null;
  lastActiveAt: string | null;
}

const envName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"));
export const termSize = {
  cols: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10, "at least 10"), v.maxValue(1000, "at most 1000"))),
  rows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2, "at least 2"), v.maxValue(500, "at most 500"))),
};

export const CreateSessionBody = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.maxLength(200, "at most 200 characters"))),
  sessionType: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a plugin name such as terminal or claude")),
    "terminal",
  ),
  cwd: v.pipe(v.string("cwd must be a directory path"), v.minLength(1, "cwd is required")),
  model: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(200)))),
  /** A command line (split as a shell splits words, nothing expanded) or the words themselves. */
  extraArgs: v.optional(
    v.pipe(
      v.union(
        [v.pipe(v.string(), v.maxLength(4000)), v.array(v.pipe(v.string(), v.maxLength(4000)))],
        "a string or an array of strings",
      ),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        if (Array.isArray(dataset.value)) return dataset.value;
        try {
          return splitShellWords(dataset.value);
        } catch (e) {
          addIssue({ message: `extraArgs: ${(e as Error).message}` });
          return NEVER;
        }
      }),
    ),
  ),
  envOverrides: v.optional(v.record(envName, v.pipe(v.string(), v.maxLength(32_768)))),
  autoStart: v.optional(v.boolean(), true),
  ...termSize,
});
export type CreateSessionInput = v.InferOutput<typeof CreateSessionBody>;
/** The body of POST /api/sessions as a client sends it. */
export type CreateSessionRequest = v.InferInput<typeof CreateSessionBody>;

export const InputBody = v.strictObject({
  input: v.pipe(v.string("input must be a string"), v.maxLength(256 * 1024, "at most 256 KiB")),
  id: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
});

export const ResizeBody = v.strictObject({
  cols: v.pipe(
    v.number("cols must be a number"),
    v.integer(),
    v.minValue(10, "at least 10"),
    v.maxValue(1000, "at most 1000"),
  ),
  rows: v.pipe(
    v.number("rows must be a number"),
    v.integer(),
    v.minValue(2, "at least 2"),
    v.maxValue(500, "at most 500"),
  ),
});

export const SessionIdParams = v.object({
  id: v.pipe(v.string(), v.uuid("a session id (UUID)")),
});

const cursorParam = v.pipe(
  v.string(),
  v.regex(/^\d{1,15}$/, "a byte cursor (a whole number ≥ 0)"),
  v.transform(Number),
);
export const BufferQuery = v.object({ since: v.optional(cursorParam), until: v.optional(cursorParam) });
export const WsQuery = v.object({
  token: v.optional(v.string()),
  since: v.optional(cursorParam),
  mode: v.optional(v.picklist(["raw", "snapshot"], "raw or snapshot")),
});
