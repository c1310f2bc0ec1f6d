import * as v from "valibot";

const cwd = v.pipe(
  v.string("cwd must be a directory path"),
  v.minLength(1, "cwd is required"),
  v.maxLength(4096),
  v.check((p) => p.startsWith("/") && !p.includes("\0"), "an absolute directory path"),
);

export const TasksQuery = v.object({ cwd });
export const RunBody = v.strictObject({
  cwd,
  taskId: v.pipe(v.string("taskId is required"), v.regex(/^[0-9a-f]{16}$/, "a task id from GET /api/tasks")),
});
export const RunParams = v.object({ id: v.pipe(v.string(), v.uuid("a session id (UUID)")) });

export interface TaskRun {
  sessionId: string;
  taskId: string | null;
  name: string;
  command: string;
  cwd: string;
  status: string;
  exitCode: number | null;
  startedAt: string | null;
  exitedAt: string | null;
  /** From start to exit (or to now while running). */
  durationMs: number | null;
}
