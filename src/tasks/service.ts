import { realpathSync, statSync } from "node:fs";
import { conflict, invalidField, notFound } from "../errors";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import type { PluginRegistry } from "../plugins";
import type { CreateSessionInput, SessionView } from "../sessions/model";
import { discoverTasks, type Task } from "./discover";
import { TASK_SESSION_TYPE } from "./launch";
import type { TaskRun } from "./model";

/** The slice of the session service the task runner needs. */
export interface TaskSessions {
  list(): Promise<SessionView[]>;
  get(id: string): Promise<SessionView>;
  create(input: CreateSessionInput): Promise<SessionView>;
  stop(id: string): Promise<SessionView>;
}

const TASK_ID_ENV = "OPENDRAY_TASK_ID";
const live = (s: SessionView) => s.status !== "exited" && s.status !== "created";
const isInside = (root: string, p: string) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);

/** Runs discovered tasks as `task` sessions in the PTY host: a cap on concurrent runs and a timeout each. */
export class TaskRunner {
  private timers = new Map<string, Timer>();
  private offs: (() => void)[] = [];

  constructor(private readonly deps: { sessions: TaskSessions; registry: PluginRegistry }) {}

  private settings() {
    const c = this.deps.registry.config("tasks");
    const n = (x: unknown, d: number) => (Number.isFinite(Number(x)) && Number(x) > 0 ? Number(x) : d);
    const roots =
      typeof c.allowedRoots === "string"
        ? c.allowedRoots
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    return { maxConcurrent: n(c.maxConcurrent, 4), timeoutSeconds: n(c.timeoutSeconds, 600), roots };
  }

  /** The project directory by real path; inside one of the panel's roots when roots are set. */
  projectDir(cwd: string): string {
    let real: string;
    try {
      real = realpathSync(cwd);
      if (!statSync(real).isDirectory()) throw new Error();
    } catch {
      throw invalidField("cwd", `not an existing directory: ${cwd}`);
    }
    const roots = this.settings().roots.map((r) => {
      try {
        return realpathSync(r);
      } catch {
        return r;
      }
    });
    if (roots.length && !roots.some((r) => isInside(r, real)))
      throw invalidField("cwd", "outside the task panel's roots");
    return real;
  }

  list(cwd: string): Task[] {
    return discoverTasks(this.projectDir(cwd));
  }

  async run(cwd: string, taskId: string): Promise<SessionView> {
    const dir = this.projectDir(cwd);
    const task = discoverTasks(dir).find((t) => t.id === taskId);
    if (!task) throw notFound(`task ${taskId} in ${dir}`);
    return this.start(dir, task.id, task.name, task.command);
  }

  /** Starts the run's command again in a new session. */
  async rerun(sessionId: string): Promise<SessionView> {
    const s = await this.deps.sessions.get(sessionId);
    if (s.sessionType !== TASK_SESSION_TYPE) throw notFound("task run");
    const taskId = s.envOverrides[TASK_ID_ENV] ?? "";
    return this.start(s.cwd, taskId, s.name.replace(/^task: /, ""), s.extraArgs[0] ?? "");
  }

  private async start(dir: string, taskId: string, name: string, command: string) {
    const { maxConcurrent } = this.settings();
    const running = (await this.deps.sessions.list()).filter((s) => s.sessionType === TASK_SESSION_TYPE && live(s));
    if (running.length >= maxConcurrent)
      throw conflict(`${maxConcurrent} tasks are already running; wait for one or stop it`);
    const session = await this.deps.sessions.create({
      name: `task: ${name}`,
      sessionType: TASK_SESSION_TYPE,
      cwd: dir,
      extraArgs: [command],
      envOverrides: { [TASK_ID_ENV]: taskId },
      autoStart: true,
      cols: 120,
      rows: 40,
    });
    this.arm(session);
    return session;
  }

  async runs(): Promise<TaskRun[]> {
    return (await this.deps.sessions.list()).filter((s) => s.sessionType === TASK_SESSION_TYPE).map(runView);
  }

  /** Stops a run that outlives the timeout; re-armed for runs adopted after a server restart. */
  private arm(s: SessionView) {
    if (!live(s) || this.timers.has(s.id)) return;
    const started = s.startedAt ? Date.parse(s.startedAt) : Date.now();
    const left = Math.max(0, started + this.settings().timeoutSeconds * 1000 - Date.now());
    this.timers.set(
      s.id,
      setTimeout(() => {
        this.timers.delete(s.id);
        log.info("task timed out; stopping it", { id: s.id, name: s.name });
        this.deps.sessions.stop(s.id).catch(() => {});
      }, left),
    );
  }

  async watch(hooks: HookBus) {
    this.offs.push(
      hooks.on("onSessionStop", (e) => {
        clearTimeout(this.timers.get(e.sessionId));
        this.timers.delete(e.sessionId);
      }),
    );
    for (const s of await this.deps.sessions.list()) if (s.sessionType === TASK_SESSION_TYPE) this.arm(s);
  }

  stop() {
    for (const off of this.offs) off();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

export function runView(s: SessionView): TaskRun {
  const start = s.startedAt ? Date.parse(s.startedAt) : null;
  const end = s.exitedAt ? Date.parse(s.exitedAt) : live(s) ? Date.now() : null;
  return {
    sessionId: s.id,
    taskId: s.envOverrides[TASK_ID_ENV] ?? null,
    name: s.name.replace(/^task: /, ""),
    command: s.extraArgs[0] ?? "",
    cwd: s.cwd,
    status: s.status,
    exitCode: s.exitCode,
    startedAt: s.startedAt,
    exitedAt: s.exitedAt,
    durationMs: start !== null && end !== null ? end - start : null,
  };
}
