import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { homedir } from "node:os";
import type { Sql } from "postgres";
import { AppError, conflict, invalidField, notFound } from "../errors";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import type { ResolveLaunch } from "../plugins/launch";
import type { Prompt } from "../prompts";
import { type HostEvent, type HostLaunch, type HostSessionInfo, PtyHostClient } from "../pty/client";
import type { CreateSessionInput, SessionStatus, SessionView } from "./model";
import { outputFiles } from "./output-file";
import { type SessionRow, sessionRepo } from "./repo";
import { SessionScreensRegistry } from "./screens";
import { SessionStream } from "./stream";

export type ControlMessage =
  | { type: "idle" }
  | { type: "running" }
  | { type: "exit"; code: number | null }
  | ({ type: "prompt" } & Prompt)
  | { type: "prompt_cleared"; id: string };
type ControlListener = (msg: ControlMessage) => void;

interface Live {
  stream: SessionStream;
  state: "running" | "idle" | "exited";
  pid: number | null;
  control: Set<ControlListener>;
}

export interface SessionServiceDeps {
  sql: Sql;
  hooks: HookBus;
  resolver: ResolveLaunch;
  host: { socketPath: string; launch: HostLaunch };
  outputDir: string;
  idleThresholdSeconds: number;
  maxSessions: number;
  autoResume: boolean;
  /** Whether AUTO_RESUME may restart a dead session of this type (agents that can resume). */
  canResume?: (sessionType: string) => boolean;
  /** Records the session's git working tree at start, for its diff; null outside a repository. */
  captureBaseline?: (cwd: string) => Promise<string | null>;
  /** Environment every session starts from (the server's own, secrets removed). */
  baseEnv: Record<string, string>;
  /** Checks a create's model route (llmProviderId, model, llmFallbacks); 422 when it cannot work. */
  llmRoute?: (input: CreateSessionInput) => Promise<SessionRow["llm"]>;
}

const EXIT_SETTLE_MS = 100;

export class SessionService {
  private readonly repo;
  private readonly files;
  private readonly live = new Map<string, Live>();
  private host!: PtyHostClient;
  readonly screens: SessionScreensRegistry;

  constructor(private readonly deps: SessionServiceDeps) {
    this.repo = sessionRepo(deps.sql);
    this.files = outputFiles(deps.outputDir);
    this.screens = new SessionScreensRegistry(
      (id, keys) => this.rawInput(id, new TextEncoder().encode(keys)),
      (id, event) => {
        const live = this.live.get(id);
        if (event.type === "prompt") {
          for (const l of live?.control ?? []) l({ ...event.prompt, type: "prompt" });
          this.deps.hooks.emit("onPrompt", id, event.prompt);
        } else {
          for (const l of live?.control ?? []) l(event);
          this.deps.hooks.emit("onPromptCleared", id, { id: event.id });
        }
      },
    );
  }

  async init() {
    this.host = new PtyHostClient(this.deps.host.socketPath, this.deps.host.launch, {
      output: (id, cursor, bytes) => this.onOutput(id, cursor, bytes),
      event: (e) => this.onHostEvent(e),
      reconnected: (sessions) => void this.reattach(sessions),
    });
    await this.reattach(await this.host.connect());
  }

  /** Adopts the host's sessions after a (re)connect; rows whose process is gone are marked exited. */
  private async reattach(hostSessions: HostSessionInfo[]) {
    const byId = new Map(hostSessions.map((s) => [s.id, s]));
    const rows = await this.repo.all();
    const known = new Set(rows.map((r) => r.id));
    for (const row of rows) {
      const info = byId.get(row.id);
      if (info) {
        const existing = this.live.get(row.id);
        // an exited one stays "running" here until onExit has persisted it
        const state = info.state === "exited" ? "running" : info.state;
        const live: Live = existing ?? {
          stream: new SessionStream(info.start),
          state,
          pid: info.pid,
          control: new Set(),
        };
        if (info.state !== "exited") live.state = info.state;
        this.live.set(row.id, live);
        if (!existing && info.state !== "exited")
          this.screens.attach(row.id, row.sessionType, live.stream, info.cols, info.rows);
        await this.host.request("subscribe", { id: row.id, since: live.stream.end });
        if (info.state === "exited") void this.onExit(info);
      } else if (row.status === "running" || row.status === "idle" || row.status === "waiting") {
        log.warn("session process is gone; marking it exited", { id: row.id });
        await this.repo.exited(row.id, null, row.cursor, new Date());
        if (this.deps.autoResume && (this.deps.canResume?.(row.sessionType) ?? true))
          await this.start(row.id).catch((e) => log.warn("auto-resume failed", { id: row.id, error: e }));
      }
    }
    for (const info of hostSessions) {
      if (!known.has(info.id)) await this.host.request(info.state === "exited" ? "forget" : "stop", { id: info.id });
    }
  }

  private onOutput(id: string, cursor: number, bytes: Uint8Array) {
    const live = this.live.get(id);
    if (!live) return;
    live.stream.append(cursor, bytes);
    this.deps.hooks.emit("onOutput", id, { cursor, bytes });
  }

  private onHostEvent(e: HostEvent) {
    if (e.event === "exit") void this.onExit(e.session);
    else {
      const live = this.live.get(e.id);
      if (!live || live.state === "exited") return;
      live.state = e.state;
      // A postgres.js query is lazy: without .then (here through .catch) it is never sent.
      this.repo
        .status(e.id, e.state, live.stream.end)
        .catch((error) => log.warn("session status not saved", { id: e.id, error }));
      for (const l of live.control) l({ type: e.state });
      if (e.state === "idle") this.deps.hooks.emit("onIdle", e.id, { lastLine: live.stream.lastLine() });
    }
  }

  private async onExit(info: HostSessionInfo) {
    const live = this.live.get(info.id);
    if (!live || live.state === "exited") return;
    live.state = "exited";
    // Bun may hand over the PTY's last bytes just after the exit is reported.
    await Bun.sleep(EXIT_SETTLE_MS);
    this.screens.detach(info.id);
    await this.repo.exited(
      info.id,
      info.exitCode,
      Math.max(live.stream.end, info.end),
      info.exitedAt ? new Date(info.exitedAt) : new Date(),
    );
    this.files.save(info.id, live.stream);
    await this.host.request("forget", { id: info.id }).catch(() => {});
    for (const l of live.control) l({ type: "exit", code: info.exitCode });
    this.deps.hooks.emit("onSessionStop", info.id, { exitCode: info.exitCode });
  }

  private view(row: SessionRow): SessionView {
    const live = this.live.get(row.id);
    const running = live && live.state !== "exited";
    let status: SessionStatus = row.status === "created" ? "created" : "exited";
    if (running) status = this.screens.prompt(row.id) ? "waiting" : live.state;
    const stream = live?.stream;
    return {
      id: row.id,
      name: row.name,
      sessionType: row.sessionType,
      cwd: row.cwd,
      model: row.model,
      llmProviderId: row.llm?.providerId ?? null,
      extraArgs: row.extraArgs,
      envOverrides: row.envOverrides,
      status,
      exitCode: status === "exited" ? row.exitCode : null,
      pid: running ? (live?.pid ?? row.pid) : null,
      cols: row.cols,
      rows: row.rows,
      cursor: Math.max(row.cursor, stream?.end ?? 0),
      resumeId: row.resumeId,
      lastLine: stream?.lastLine() ?? "",
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      exitedAt: status === "exited" ? (row.exitedAt?.toISOString() ?? null) : null,
      lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    };
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
    return [...this.live.values()].filter((l) => l.state !== "exited").length;
  }

  async create(input: CreateSessionInput): Promise<SessionView> {
    input = { ...input, cwd: expandHome(input.cwd) };
    checkCwd(input.cwd);
    const id = randomUUID();
    const extraArgs = input.extraArgs ?? [];
    const llm = (await this.deps.llmRoute?.(input)) ?? null;
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
    const live: Live = { stream, state: "running", pid: null, control: current?.control ?? new Set() };
    this.live.set(id, live);
    try {
      const { session } = await this.host.request<{ session: HostSessionInfo }>("spawn", {
        id,
        argv: plan.argv,
        env: { ...this.deps.baseEnv, ...plan.env },
        cwd: plan.cwd,
        cols: row.cols,
        rows: row.rows,
        idleMs: this.deps.idleThresholdSeconds * 1000,
        startCursor: stream.end,
      });
      live.pid = session.pid;
      this.screens.attach(id, row.sessionType, stream, row.cols, row.rows);
      await this.host.request("subscribe", { id, since: stream.end });
      await this.repo.started(id, session.pid, plan.resumeId, baseline);
    } catch (e) {
      live.state = "exited";
      throw new AppError("invalid", `could not start the session: ${(e as Error).message}`);
    }
    for (const l of live.control) l({ type: "running" });
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
      return this.host.request<{ applied: boolean }>("input", { id, inputId, data: text });
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
