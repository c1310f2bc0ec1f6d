import * as v from "valibot";
import { splitShellWords } from "../plugins/shell-words";
import { absolutePath, noNul, text } from "../shared/schema";

export type SessionStatus = "created" | "running" | "idle" | "waiting" | "exited";

/**
 * Why an exited session ended, when not on its own: `stopped` by a stop (or delete) request, or
 * `host-lost` when the PTY host that ran it died. Null while running and after an exit of its own.
 */
export type ExitReason = "stopped" | "host-lost";

/** A session as the API returns it. */
export interface SessionView {
  id: string;
  name: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  /** The model endpoint the session is routed to through the gateway (null: the agent's own). */
  llmProviderId?: string | null;
  extraArgs: string[];
  envOverrides: Record<string, string>;
  status: SessionStatus;
  exitCode: number | null;
  /** Set once exited, when the process did not end on its own (see ExitReason). */
  exitReason: ExitReason | null;
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
  /** The Claude account the session runs under (see /api/claude-accounts), null for the host's own login. */
  claudeAccountId?: string | null;
  /** What went wrong keeping this session (its output could not be saved: disk full); absent when nothing did. */
  problem?: string;
}

const envName = v.pipe(text(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"));
export const termSize = {
  cols: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10, "at least 10"), v.maxValue(1000, "at most 1000"))),
  rows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2, "at least 2"), v.maxValue(500, "at most 500"))),
};

export const CreateSessionBody = v.strictObject({
  name: v.optional(v.pipe(text(), v.maxLength(200, "at most 200 characters"))),
  sessionType: v.optional(
    v.pipe(text(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a plugin name such as terminal or claude")),
    "terminal",
  ),
  cwd: absolutePath(),
  model: v.optional(v.nullable(v.pipe(text(), v.maxLength(200)))),
  /** Route the agent to this model endpoint (GET /api/llm-providers) through the gateway. */
  llmProviderId: v.optional(v.nullable(v.pipe(text(), v.uuid("a model endpoint id (UUID)")))),
  /** Tried in order on 429/5xx/timeout before the first byte reaches the agent. */
  llmFallbacks: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          providerId: v.pipe(text(), v.uuid("a model endpoint id (UUID)")),
          model: v.pipe(text(), v.minLength(1, "a model id"), v.maxLength(200)),
        }),
      ),
      v.maxLength(5, "at most 5 fallbacks"),
    ),
  ),
  /** MCP servers (GET /api/mcp/servers) this session's agent gets; default: the enabled ones that apply to it. */
  mcpServers: v.optional(
    v.pipe(v.array(v.pipe(text(), v.uuid("an MCP server id (UUID)"))), v.maxLength(50, "at most 50 servers")),
  ),
  /** Only OpenDray's MCP server, ignoring the agent's own MCP configuration (Claude Code, Gemini CLI, Qwen Code). */
  mcpStrict: v.optional(v.boolean("mcpStrict must be true or false")),
  /** A command line (split as a shell splits words, nothing expanded) or the words themselves. */
  extraArgs: v.optional(
    v.pipe(
      v.union(
        [v.pipe(text(), v.maxLength(4000)), v.array(v.pipe(text(), v.maxLength(4000)))],
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
  envOverrides: v.optional(v.record(envName, v.pipe(text(), v.maxLength(32_768)))),
  autoStart: v.optional(v.boolean(), true),
  claudeAccountId: v.optional(v.nullable(v.pipe(text(), v.uuid("a Claude account id (UUID)")))),
  ...termSize,
});
export type CreateSessionInput = v.InferOutput<typeof CreateSessionBody>;
/** The body of POST /api/sessions as a client sends it. */
export type CreateSessionRequest = v.InferInput<typeof CreateSessionBody>;

export const InputBody = v.strictObject({
  // no noNul here: NUL is a keystroke (Ctrl+@) and goes to the PTY, never to the database
  input: v.pipe(v.string("input must be a string"), v.maxLength(256 * 1024, "at most 256 KiB")),
  id: v.optional(v.pipe(text(), v.minLength(1), v.maxLength(128))),
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
  id: v.pipe(text(), v.uuid("a session id (UUID)")),
});

const cursorParam = v.pipe(
  v.string(),
  noNul,
  v.regex(/^\d{1,15}$/, "a byte cursor (a whole number ≥ 0)"),
  v.transform(Number),
);
export const BufferQuery = v.object({ since: v.optional(cursorParam), until: v.optional(cursorParam) });
export const WsQuery = v.object({
  token: v.optional(text()),
  since: v.optional(cursorParam),
  mode: v.optional(v.picklist(["raw", "snapshot"], "raw or snapshot")),
});
