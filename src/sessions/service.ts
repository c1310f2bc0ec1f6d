import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { homedir } from "node:os";
import type { Sql } from "postgres";
import { AppError, conflict, invalidField, notFound } from "../errors";
import type { HookBus } from "../hooks/bus";
import type { ResolveLaunch } from "../plugins/launch";
import type { HostLaunch, PtyHostClient } from "../pty/client";
import { type LiveScreens, SessionScreens } from "../screen/sessions";
import { hop } from "../shared/hop-trace";
import { activityTracker } from "./activity";
import { HostSync } from "./host-sync";
import { drainHold, InputHold } from "./input-hold";
import { type ControlListener, type Live, LiveSessions } from "./live";
import type { CreateSessionInput, SessionView } from "./model";
import { outputFiles } from "./output-file";
import type { ControlFrame } from "./protocol";
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
  /** Checks a create's model route (llmProviderId, model, llmFallbacks); 422 when it cannot work. */
  llmRoute?: (input: CreateSessionInput) => Promise<SessionRow["llm"]>;
  /** The session's MCP servers (src/mcp): resolved before the row exists, stored after, cleaned up on delete. */
  mcp?: {
    resolve(input: CreateSessionInput): Promise<string[]>;
    store(id: string, servers: string[], strict: boolean): Promise<void>;
    removed(id: string): void;
  };
  /** Prompts shown over the screens' own (the MCP ask_user questions). */
  overlayScreens?: (screens: LiveScreens) => LiveScreens;
}

/** The session commands: create, start, stop, remove, input, resize, and reads of rows and output. */
export class SessionService {
  private readonly repo;
  private readonly files;
  private readonly live = new LiveSessions();
  private readonly screens: SessionScreens;
  private readonly shown: LiveScreens;
  private readonly sync: HostSync;
  /** Sessions whose input is held back while something else types into them (holdInput). */
  private readonly holds = new Map<string, InputHold>();
  /** lastActiveAt and the row's cursor follow output and input, saved at most every few seconds. */
  private readonly activity = activityTracker((id, at) => this.repo.active(id, at, this.live.get(id)?.stream.end ?? 0));

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
    this.shown = deps.overlayScreens?.(this.screens) ?? this.screens;
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
      activity: (id) => this.activity.touch(id),
    });
  }

  async init() {
    await this.sync.connect();
  }

  private get host(): PtyHostClient {
    return this.sync.host;
  }

  /** A client further behind the live output than this is shown the server's screen instead. */
  get maxLagMs(): number {
    return this.deps.maxLagMs ?? 2000;
  }

  /** Each running session's screen and prompt tracker (for the screen and prompt routes, Telegram). */
  get liveScreens(): LiveScreens {
    return this.shown;
  }

  /**
   * A running session this server adopted from the PTY host: its output and the host's cursor at
   * adoption (output before it was produced before the server started).
   */
  adopted(id: string): { stream: SessionStream; until: number } | undefined {
    const live = this.live.running(id);
    return live?.adoptedAt === undefined ? undefined : { stream: live.stream, until: live.adoptedAt };
  }

  private view(row: SessionRow): SessionView {
    return sessionView(row, this.live.get(row.id), this.shown.prompt(row.id) !== null, this.files.problem(row.id));
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
    hop("create");
    input = { ...input, cwd: expandHome(input.cwd) };
    checkCwd(input.cwd);
    const id = randomUUID();
    const extraArgs = input.extraArgs ?? [];
    const llm = (await this.deps.llmRoute?.(input)) ?? null;
    const mcp = await this.deps.mcp?.resolve(input);
    // Validated as a start would be, so a session that can never start is not saved (a first start spawns nothing).
    // (an account is checked up front too: the row refers to it)
    if (!input.autoStart || input.claudeAccountId)
      await this.deps.resolver({
        sessionId: id,
        sessionType: input.sessionType,
        cwd: input.cwd,
        model: input.model ?? null,
        extraArgs,
        envOverrides: input.envOverrides ?? {},
        resumeId: null,
        firstStart: true,
        claudeAccountId: input.claudeAccountId ?? null,
      });
    await this.repo.insert({
      llm,
      id,
      name: input.name || `${input.sessionType} ${id.slice(0, 8)}`,
      sessionType: input.sessionType,
      cwd: input.cwd,
      model: input.model ?? null,
      extraArgs,
      envOverrides: input.envOverrides ?? {},
      cols: input.cols ?? 120,
      rows: input.rows ?? 40,
      claudeAccountId: input.claudeAccountId ?? null,
    });
    if (mcp) await this.deps.mcp?.store(id, mcp, input.mcpStrict ?? false);
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
    hop("start");
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
      claudeAccountId: row.claudeAccountId,
    });
    const baseline =
      !row.baselineSha && this.deps.captureBaseline
        ? await this.deps.captureBaseline(plan.cwd).catch(() => null)
        : null;
    hop("planned");
    const stream = current?.stream ?? this.files.load(id, row.cursor);
    stream.log ??= this.files.log(id);
    const live: Live = { stream, state: "running", pid: null, control: current?.control ?? new Set() };
    this.live.set(id, live);
    try {
      // after a lost PTY host, a new one is starting
      await this.host.connected();
      hop("spawn-asked");
      const { session } = await this.host.request("spawn", {
        id,
        argv: plan.argv,
        env: withoutNames({ ...this.deps.baseEnv, ...plan.env }, plan.unsetEnv),
        cwd: plan.cwd,
        cols: row.cols,
        rows: row.rows,
        idleMs: this.deps.idleThresholdSeconds * 1000,
        startCursor: stream.end,
        log: { dir: this.files.logDir(id), maxBytes: this.deps.logMaxBytes ?? 512 * 1024 * 1024 },
      });
      hop("spawned");
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
    hop("started");
    return this.get(id);
  }

  /** Stops the process (SIGHUP, SIGTERM, SIGKILL to its group) and resolves once it has exited. */
  async stop(id: string): Promise<SessionView> {
    await this.row(id);
    const live = this.live.get(id);
    if (!live || live.state === "exited") throw conflict("session is not running");
    live.stopping = true;
    const exited = new Promise<void>((resolve) => {
      const l: ControlListener = (m) => {
        if (m.type === "exit") {
          live.control.delete(l);
          resolve();
        }
      };
      live.control.add(l);
    });
    // a host that dies meanwhile ends the session too (host-lost)
    await this.host.request("stop", { id }).catch(async (e) => {
      await this.host.settled();
      if (live.state !== "exited") throw new AppError("unavailable", `the PTY host did not answer: ${e.message}`);
    });
    await Promise.race([exited, Bun.sleep(8000)]);
    return this.get(id);
  }

  /** Binds the session to a Claude account (null: the host's own login) for its next start. */
  async bindClaudeAccount(id: string, accountId: string | null) {
    await this.row(id);
    await this.repo.claudeAccount(id, accountId);
  }

  async remove(id: string) {
    await this.row(id);
    const live = this.live.get(id);
    if (live && live.state !== "exited") await this.stop(id).catch(() => {});
    await this.host.request("forget", { id }).catch(() => {});
    this.screens.detach(id);
    this.live.delete(id);
    await this.repo.remove(id);
    this.activity.forget(id);
    this.files.remove(id);
    this.deps.mcp?.removed(id);
  }

  /**
   * Writes input; with an id, each id is applied at most once (retries after a reconnect are safe).
   * While the session's input is held (holdInput), it waits in the hold instead.
   */
  async input(id: string, data: string | Uint8Array, inputId?: string): Promise<{ applied: boolean }> {
    await this.mustRun(id);
    this.activity.touch(id);
    const hold = this.holds.get(id);
    if (hold) return hold.add(data, inputId);
    return this.deliver(id, data, inputId);
  }

  private async mustRun(id: string) {
    const live = this.live.get(id);
    if (!live || live.state === "exited") {
      await this.row(id);
      throw conflict("session is not running");
    }
  }

  private async deliver(id: string, data: string | Uint8Array, inputId?: string): Promise<{ applied: boolean }> {
    if (inputId) {
      const text = typeof data === "string" ? data : new TextDecoder().decode(data);
      return this.host.request("input", { id, inputId, data: text }).catch((e) => this.hostFailed(id, e));
    }
    try {
      this.host.input(id, typeof data === "string" ? new TextEncoder().encode(data) : data);
    } catch (e) {
      return this.hostFailed(id, e);
    }
    return { applied: true };
  }

  /**
   * Holds back every input to the session (WebSocket keystrokes and frames, POST input, Telegram,
   * prompt answers) while the caller types into it with `write`, so the two cannot mix. `release`
   * delivers what was held, in order and with the user's pauses; input that comes meanwhile queues
   * behind it. Held input is dropped if the session is no longer running.
   */
  holdInput(id: string): { write(data: string): Promise<void>; release(): Promise<void> } {
    const hold = new InputHold();
    this.holds.set(id, hold);
    return {
      write: async (data) => {
        await this.mustRun(id);
        await this.deliver(id, data);
      },
      release: () => this.releaseHold(id, hold),
    };
  }

  private async releaseHold(id: string, hold: InputHold) {
    await drainHold(id, hold, {
      running: () => !!this.live.running(id),
      deliver: (held) => this.deliver(id, held.data, held.inputId),
    });
    // nothing awaited since the hold ran empty: no input can have slipped in behind it
    if (this.holds.get(id) === hold) this.holds.delete(id);
  }

  /** A PTY host request failed: 409 once the session is found gone with its host, 503 otherwise. */
  private async hostFailed(id: string, e: unknown): Promise<never> {
    await this.host.settled();
    if (!this.live.running(id)) throw conflict("session is not running");
    throw new AppError("unavailable", `the PTY host did not answer: ${(e as Error).message}`);
  }

  /** Raw input on the hot path (WebSocket keystrokes): no lookups beyond the live map. */
  rawInput(id: string, bytes: Uint8Array) {
    const live = this.live.get(id);
    if (!live || live.state === "exited") return;
    this.activity.touch(id);
    const hold = this.holds.get(id);
    if (hold) {
      try {
        hold.add(bytes);
      } catch {
        // full: counted in hold.dropped, logged on release
      }
      return;
    }
    try {
      this.host.input(id, bytes);
    } catch {
      // the connection is down: a lost host ends the session, a dropped connection comes back
    }
  }

  async resize(id: string, cols: number, rows: number) {
    await this.row(id);
    await this.repo.resize(id, cols, rows);
    const live = this.live.get(id);
    if (live && live.state !== "exited") {
      await this.host.request("resize", { id, cols, rows }).catch((e) => this.hostFailed(id, e));
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

  /** Sends a control frame (such as `{type:"changes"}`) to the session's attached WebSockets. */
  notify(id: string, frame: ControlFrame) {
    this.live.notify(id, frame);
  }

  async shutdown() {
    this.activity.stop();
    this.host?.close();
  }
}

function withoutNames(env: Record<string, string>, names: string[] = []) {
  for (const n of names) delete env[n];
  return env;
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
  if (!ok) throw invalidField("cwd", `there is no folder ${cwd} on the server`);
}
