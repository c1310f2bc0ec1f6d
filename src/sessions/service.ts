import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { homedir } from "node:os";
import type { Sql } from "postgres";
import { AppError, conflict, invalidField, notFound } from "../errors";
import type { HookBus } from "../hooks/bus";
import type { ResolveLaunch } from "../plugins/launch";
import type { HostLaunch, PtyHostClient } from "../pty/client";
import { type LiveScreens, SessionScreens } from "../screen/sessions";
import { HostSync } from "./host-sync";
import { type ControlListener, type Live, LiveSessions } from "./live";
import type { CreateSessionInput, SessionView } from "./model";
import { outputFiles } from "./output-file";
import { type SessionRow, sessionRepo } from "./repo";
import type { SessionStream } from "./stream";
import { sessionView } from "./view";

export interface SessionServiceDeps {
  sql: Sql;
  hooks: HookBus;
  resolver: ResolveLaunch;
  host: { socketPath: string; launch: HostLaunch };
  outputDir: string;
  idleThresholdSeconds: number;
  maxSessions: number;
  /** Cap of each session's output log on disk (default 512 MiB). */
  logMaxBytes?: number;
  /** A client further behind the live output than this gets the screen instead (default 2 s). */
  maxLagMs?: number;
  autoResume: boolean;
  /** Whether AUTO_RESUME may restart a dead session of this type (agents that can resume). */
  canResume?: (sessionType: string) => boolean;
  /** Records the session's git working tree at start, for its diff; null outside a repository. */
  captureBaseline?: (cwd: string) => Promise<string | null>;
  /** Environment every session starts from (the server's own, secrets removed). */
  baseEnv: Record<string, string>;
}

/** The session commands: create, start, stop, remove, input, resize, and reads of rows and output. */
export class SessionService {
  private readonly repo;
  private readonly files;
  private readonly live = new LiveSessions();
  private readonly screens: SessionScreens;
  private readonly sync: HostSync;
  private host!: PtyHostClient;

  constructor(private readonly deps: SessionServiceDeps) {
    this.repo = sessionRepo(deps.sql);
    this.files = outputFiles(deps.outputDir);
    this.screens = new SessionScreens(
      (id, keys) => this.rawInput(id, new TextEncoder().encode(keys)),
      (id, event) => {
        if (event.type === "prompt") {
          this.live.notify(id, { ...event.prompt, type: "prompt" });
          this.deps.hooks.emit("onPrompt", id, event.prompt);
        } else {
          this.live.notify(id, event);
          this.deps.hooks.emit("onPromptCleared", id, { id: event.id });
        }
      },
    );
    this.sync = new HostSync({
      host: deps.host,
      repo: this.repo,
      files: this.files,
      live: this.live,
      screens: this.screens,
      hooks: deps.hooks,
      autoResume: deps.autoResume,
      canResume: deps.canResume,
      resume: (id) => this.start(id),
    });
  }

  async init() {
    this.host = await this.sync.connect();
  }

  /** A client further behind the live output than this is shown the server's screen instead. */
  get maxLagMs(): number {
    return this.deps.maxLagMs ?? 2000;
  }

  /** Each running session's screen and prompt tracker (for the screen and prompt routes, Telegram). */
  get liveScreens(): LiveScreens {
    return this.screens;
  }

  private view(row: SessionRow): SessionView {
    return sessionView(row, this.live.get(row.id), this.screens.prompt(row.id) !== null);
  }

  private async row(id: string): Promise<SessionRow> {
    const row = await this.repo.get(id);
    if (!row) throw notFound("session");
    return row;
  }

  async list(): Promise<SessionView[]> {
    return (await this.repo.all()).map((r) => this.view(r));
  }

  async get(id: string): Promise<SessionView> {
    return this.view(await this.row(id));
  }

  runningCount() {
    return this.live.runningCount();
  }

  async create(input: CreateSessionInput): Promise<SessionView> {
    input = { ...input, cwd: expandHome(input.cwd) };
    checkCwd(input.cwd);
    const id = randomUUID();
    const extraArgs = input.extraArgs ?? [];
    await this.repo.insert({
      id,
      name: input.name || `${input.sessionType} ${id.slice(0, 8)}`,
      sessionType: input.sessionType,
      cwd: input.cwd,
      model: input.model ?? null,
      extraArgs,
      envOverrides: input.envOverrides ?? {},
      cols: input.cols ?? 120,
      rows: input.rows ?? 40,
    });
    if (input.autoStart) {
      try {
        await this.start(id);
      } catch (e) {
        await this.repo.remove(id);
        throw e;
      }
    }
    return this.get(id);
  }

  async start(id: string): Promise<SessionView> {
    const row = await this.row(id);
    const current = this.live.get(id);
    if (current && current.state !== "exited") throw conflict("session is already running");
    if (this.runningCount() >= this.deps.maxSessions) {
      throw conflict(`MAX_SESSIONS (${this.deps.maxSessions}) sessions are already running; stop one first`);
    }
    checkCwd(row.cwd);
    const plan = await this.deps.resolver({
      sessionId: id,
      sessionType: row.sessionType,
      cwd: row.cwd,
      model: row.model,
      extraArgs: row.extraArgs,
      envOverrides: row.envOverrides,
      resumeId: row.resumeId,
      firstStart: row.startedAt === null,
    });
    const baseline =
      !row.baselineSha && this.deps.captureBaseline
        ? await this.deps.captureBaseline(plan.cwd).catch(() => null)
        : null;
    const stream = current?.stream ?? this.files.load(id, row.cursor);
    stream.log ??= this.files.log(id);
    const live: Live = { stream, state: "running", pid: null, control: current?.control ?? new Set() };
    this.live.set(id, live);
    try {
      const { session } = await this.host.request("spawn", {
        id,
        argv: plan.argv,
        env: { ...this.deps.baseEnv, ...plan.env },
        cwd: plan.cwd,
        cols: row.cols,
        rows: row.rows,
        idleMs: this.deps.idleThresholdSeconds * 1000,
        startCursor: stream.end,
        log: { dir: this.files.logDir(id), maxBytes: this.deps.logMaxBytes ?? 512 * 1024 * 1024 },
      });
      live.pid = session.pid;
      this.screens.attach(id, row.sessionType, stream, row.cols, row.rows);
      await this.host.request("subscribe", { id, since: stream.end });
      await this.repo.started(id, session.pid, plan.resumeId, baseline);
    } catch (e) {
      live.state = "exited";
      throw new AppError("unavailable", `could not start the session: ${(e as Error).message}`);
    }
    this.live.notify(id, { type: "running" });
    this.deps.hooks.emit("onSessionStart", id, { pid: live.pid });
    return this.get(id);
  }

  /** Stops the process (SIGHUP, SIGTERM, SIGKILL to its group) and resolves once it has exited. */
  async stop(id: string): Promise<SessionView> {
    await this.row(id);
    const live = this.live.get(id);
    if (!live || live.state === "exited") throw conflict("session is not running");
    const exited = new Promise<void>((resolve) => {
      const l: ControlListener = (m) => {
        if (m.type === "exit") {
          live.control.delete(l);
          resolve();
        }
      };
      live.control.add(l);
    });
    await this.host.request("stop", { id });
    await Promise.race([exited, Bun.sleep(8000)]);
    return this.get(id);
  }

  async remove(id: string) {
    await this.row(id);
    const live = this.live.get(id);
    if (live && live.state !== "exited") await this.stop(id).catch(() => {});
    await this.host.request("forget", { id }).catch(() => {});
    this.screens.detach(id);
    this.live.delete(id);
    await this.repo.remove(id);
    this.files.remove(id);
  }

  /** Writes input; with an id, each id is applied at most once (retries after a reconnect are safe). */
  async input(id: string, data: string | Uint8Array, inputId?: string): Promise<{ applied: boolean }> {
    const live = this.live.get(id);
    if (!live || live.state === "exited") {
      await this.row(id);
      throw conflict("session is not running");
    }
    if (inputId) {
      const text = typeof data === "string" ? data : new TextDecoder().decode(data);
      return this.host.request("input", { id, inputId, data: text });
    }
    this.host.input(id, typeof data === "string" ? new TextEncoder().encode(data) : data);
    return { applied: true };
  }

  /** Raw input on the hot path (WebSocket keystrokes): no lookups beyond the live map. */
  rawInput(id: string, bytes: Uint8Array) {
    const live = this.live.get(id);
    if (live && live.state !== "exited") this.host.input(id, bytes);
  }

  async resize(id: string, cols: number, rows: number) {
    await this.row(id);
    await this.repo.resize(id, cols, rows);
    const live = this.live.get(id);
    if (live && live.state !== "exited") {
      await this.host.request("resize", { id, cols, rows });
      this.screens.resize(id, cols, rows);
    }
  }

  /** The session's output stream (loaded from disk for sessions that exited before this server started). */
  async stream(
    id: string,
  ): Promise<{ stream: SessionStream; live: boolean; onControl(l: ControlListener): () => void }> {
    const row = await this.row(id);
    let live = this.live.get(id);
    if (!live) {
      live = { stream: this.files.load(id, row.cursor), state: "exited", pid: null, control: new Set() };
      this.live.set(id, live);
    }
    const entry = live;
    // sessions adopted from the PTY host after a restart get their log here
    entry.stream.log ??= this.files.log(id);
    return {
      stream: entry.stream,
      live: entry.state !== "exited",
      onControl: (l) => {
        entry.control.add(l);
        return () => entry.control.delete(l);
      },
    };
  }

  /** Where the session runs and the working tree it started from (for the diff view). */
  async diffInfo(id: string): Promise<{ cwd: string; baseline: string | null }> {
    const row = await this.row(id);
    return { cwd: row.cwd, baseline: row.baselineSha };
  }

  async shutdown() {
    this.host?.close();
  }
}

function expandHome(path: string): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  return (process.env.HOME || homedir()) + path.slice(1);
}

function checkCwd(cwd: string) {
  let ok = false;
  try {
    ok = statSync(cwd).isDirectory();
  } catch {}
  if (!ok) throw invalidField("cwd", `not an existing directory: ${cwd}`);
}
