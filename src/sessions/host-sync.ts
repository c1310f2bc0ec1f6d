import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import { type HostEvent, type HostLaunch, type HostSessionInfo, PtyHostClient } from "../pty/client";
import type { SessionScreens } from "../screen/sessions";
import type { Live, LiveSessions } from "./live";
import type { OutputFiles } from "./output-file";
import type { SessionRepo } from "./repo";
import { SessionStream } from "./stream";

export interface HostSyncDeps {
  host: { socketPath: string; launch: HostLaunch };
  repo: SessionRepo;
  files: OutputFiles;
  live: LiveSessions;
  screens: SessionScreens;
  hooks: HookBus;
  autoResume: boolean;
  /** Whether AUTO_RESUME may restart a dead session of this type (agents that can resume). */
  canResume?: (sessionType: string) => boolean;
  /** Starts a session again (AUTO_RESUME). */
  resume: (id: string) => Promise<unknown>;
  /** Output arrived: the session is active (lastActiveAt). */
  activity?: (id: string) => void;
}

const EXIT_SETTLE_MS = 100;

/**
 * Keeps the server's sessions in step with the PTY host: adopts its sessions after each (re)connect,
 * mirrors their output, and records state changes and exits in the database.
 */
export class HostSync {
  private client?: PtyHostClient;
  /** Sessions lost with a PTY host, to restart with resume (AUTO_RESUME) once a new host is up. */
  private lostSessions = new Set<string>();

  constructor(private readonly deps: HostSyncDeps) {}

  /** Connects to (or launches) the PTY host and adopts its sessions. */
  async connect(): Promise<PtyHostClient> {
    const client = new PtyHostClient(this.deps.host.socketPath, this.deps.host.launch, {
      output: (id, cursor, bytes) => this.onOutput(id, cursor, bytes),
      event: (e) => this.onHostEvent(e),
      reconnected: (sessions) => void this.reattach(sessions),
      lost: () => this.hostLost(),
    });
    this.client = client;
    await this.reattach(await client.connect());
    return client;
  }

  /** The connection to the PTY host (after connect). */
  get host(): PtyHostClient {
    if (!this.client) throw new Error("not connected to the PTY host");
    return this.client;
  }

  /**
   * The PTY host died: each session it ran is exited with reason `host-lost`, keeping the output
   * mirrored here. Marked at once (input is refused from here on), then persisted and announced.
   */
  private async hostLost() {
    const lost = this.deps.live.runningEntries();
    for (const [, live] of lost) {
      live.state = "exited";
      live.exitReason = "host-lost";
    }
    for (const [id] of lost) await this.lose(id, 0);
  }

  /** Records a session whose process went with its PTY host; AUTO_RESUME restarts it on the next host. */
  private async lose(id: string, cursor: number) {
    const live = this.deps.live.get(id);
    if (live) {
      // What the host ran has lost its terminal; end what did not go with it.
      if (live.pid) signalGroup(live.pid, "SIGTERM");
      live.state = "exited";
      live.pid = null;
      live.exitReason = "host-lost";
      this.deps.screens.detach(id);
      this.deps.files.save(id, live.stream);
    }
    const end = Math.max(cursor, live?.stream.end ?? 0);
    await this.deps.repo
      .exited(id, null, end, new Date(), "host-lost")
      .catch((error) => log.warn("session exit not saved", { id, error }));
    for (const l of live?.control ?? []) l({ type: "exit", code: null, reason: "host-lost" });
    this.deps.hooks.emit("onSessionStop", id, { exitCode: null, reason: "host-lost" });
    this.lostSessions.add(id);
  }

  /** Adopts the host's sessions after a (re)connect; rows whose process is gone are marked exited. */
  private async reattach(hostSessions: HostSessionInfo[]) {
    const { repo, live: lives, screens } = this.deps;
    const byId = new Map(hostSessions.map((s) => [s.id, s]));
    const rows = await repo.all();
    const known = new Set(rows.map((r) => r.id));
    for (const row of rows) {
      const info = byId.get(row.id);
      if (info) {
        const existing = lives.get(row.id);
        // an exited one stays "running" here until onExit has persisted it
        const state = info.state === "exited" ? "running" : info.state;
        const live: Live = existing ?? {
          stream: new SessionStream(info.start),
          state,
          pid: info.pid,
          control: new Set(),
          adoptedAt: info.end,
        };
        if (info.state !== "exited") live.state = info.state;
        lives.set(row.id, live);
        if (!existing && info.state !== "exited")
          screens.attach(row.id, row.sessionType, live.stream, info.cols, info.rows);
        await this.host.request("subscribe", { id: row.id, since: live.stream.end });
        if (info.state === "exited") void this.onExit(info);
      } else if (row.status === "running" || row.status === "idle" || row.status === "waiting") {
        const live = lives.get(row.id);
        if (live?.state === "exited") {
          // announced already; its row was not written then
          await repo.exited(row.id, null, live.stream.end, new Date(), live.exitReason ?? "host-lost");
          continue;
        }
        log.warn("session process is gone with its PTY host; marking it exited", { id: row.id });
        await this.lose(row.id, row.cursor);
      }
    }
    for (const info of hostSessions) {
      if (!known.has(info.id)) await this.host.request(info.state === "exited" ? "forget" : "stop", { id: info.id });
    }
    await this.resumeLost(rows);
  }

  private async resumeLost(rows: { id: string; sessionType: string }[]) {
    const lost = rows.filter((r) => this.lostSessions.delete(r.id));
    this.lostSessions.clear();
    if (!this.deps.autoResume) return;
    for (const row of lost) {
      if (!(this.deps.canResume?.(row.sessionType) ?? true) || this.deps.live.running(row.id)) continue;
      log.info("AUTO_RESUME: restarting a session lost with its PTY host", { id: row.id });
      await this.deps.resume(row.id).catch((e) => log.warn("auto-resume failed", { id: row.id, error: e }));
    }
  }

  private onOutput(id: string, cursor: number, bytes: Uint8Array) {
    const live = this.deps.live.get(id);
    if (!live) return;
    live.stream.append(cursor, bytes);
    this.deps.activity?.(id);
    this.deps.hooks.emit("onOutput", id, { cursor, bytes });
  }

  private onHostEvent(e: HostEvent) {
    if (e.event === "exit") void this.onExit(e.session);
    else {
      const live = this.deps.live.running(e.id);
      if (!live) return;
      live.state = e.state;
      // A postgres.js query is lazy: without .then (here through .catch) it is never sent.
      this.deps.repo
        .status(e.id, e.state, live.stream.end)
        .catch((error) => log.warn("session status not saved", { id: e.id, error }));
      this.deps.live.notify(e.id, { type: e.state });
      if (e.state === "idle") this.deps.hooks.emit("onIdle", e.id, { lastLine: live.stream.lastLine() });
    }
  }

  private async onExit(info: HostSessionInfo) {
    const live = this.deps.live.running(info.id);
    if (!live) return;
    live.state = "exited";
    const reason = live.stopping ? "stopped" : null;
    live.exitReason = reason;
    // Bun may hand over the PTY's last bytes just after the exit is reported.
    await Bun.sleep(EXIT_SETTLE_MS);
    this.deps.screens.detach(info.id);
    await this.deps.repo.exited(
      info.id,
      info.exitCode,
      Math.max(live.stream.end, info.end),
      info.exitedAt ? new Date(info.exitedAt) : new Date(),
      reason,
    );
    // Until its output is on disk, the PTY host keeps a copy (a restarted server replays it from there).
    if (this.deps.files.save(info.id, live.stream)) await this.host.request("forget", { id: info.id }).catch(() => {});
    for (const l of live.control) l({ type: "exit", code: info.exitCode, reason });
    this.deps.hooks.emit("onSessionStop", info.id, { exitCode: info.exitCode, reason });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // gone already
  }
}
