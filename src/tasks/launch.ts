import { existsSync } from "node:fs";
import { AppError } from "../errors";
import type { LaunchPlan, LaunchRequest, ResolveLaunch } from "../plugins";

/** Sessions of this type run one task command; they are not an agent plugin. */
export const TASK_SESSION_TYPE = "task";

const shell = () => (existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh");

/**
 * Wraps the plugin resolver: a `task` session runs its command (extraArgs[0]) with `bash -c`, no
 * profile, in its cwd; every other type goes to the plugins as before.
 */
export function withTaskSessions(inner: ResolveLaunch): ResolveLaunch {
  return async (req: LaunchRequest): Promise<LaunchPlan> => {
    if (req.sessionType !== TASK_SESSION_TYPE) return inner(req);
    const [command, ...rest] = req.extraArgs;
    if (!command || rest.length)
      throw new AppError("invalid", "extraArgs: a task session takes exactly one command line", [
        { path: "extraArgs", message: "exactly one command line" },
      ]);
    return { argv: [shell(), "-c", command], env: { ...req.envOverrides }, cwd: req.cwd, resumeId: null };
  };
}
