import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { type PluginRegistry, panelGuard } from "../plugins";
import { RunBody, RunParams, TasksQuery } from "./model";
import { TaskRunner, type TaskSessions } from "./service";

export { discoverTasks, justRecipes, makeTargets, packageRunner, type Task } from "./discover";
export { TASK_SESSION_TYPE, withTaskSessions } from "./launch";
export type { TaskRun } from "./model";
export { TaskRunner, type TaskSessions } from "./service";

export interface TasksDeps {
  auth: AuthService;
  registry: PluginRegistry;
  runner: TaskRunner;
}

/** Task discovery and runs; a run is a `task` session (its output and exit over the session WebSocket). */
export function createTasksRoutes({ auth, registry, runner }: TasksDeps) {
  return new Elysia({ prefix: "/api/tasks" })
    .use(panelGuard(registry, "tasks"))
    .use(requireAuth(auth))
    .get("/", ({ query }) => ({ tasks: runner.list(query.cwd) }), { query: TasksQuery })
    .post(
      "/run",
      async ({ body, set }) => {
        const session = await runner.run(body.cwd, body.taskId);
        set.status = 201;
        return { session };
      },
      { body: RunBody },
    )
    .get("/runs", async () => ({ runs: await runner.runs() }))
    .post(
      "/runs/:id/rerun",
      async ({ params, set }) => {
        const session = await runner.rerun(params.id);
        set.status = 201;
        return { session };
      },
      { params: RunParams },
    );
}

export const createTaskRunner = (sessions: TaskSessions, registry: PluginRegistry) =>
  new TaskRunner({ sessions, registry });
