import { type FSWatcher, watch } from "node:fs";
import { homedir } from "node:os";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import { repoTop } from "./status";

/** Paths whose changes say nothing about the work tree (object store churn, dependencies). */
const NOISE = /(^|\/)(node_modules|\.git\/(objects|logs|lfs)|\.git\/[^/]*\.lock$)/;
export const CHANGES_DEBOUNCE_MS = 300;

export interface WatchedSessions {
  list(): Promise<{ id: string; cwd: string; status: string }[]>;
  diffInfo(id: string): Promise<{ cwd: string }>;
  /** Sends `{type:"changes"}` to the session's attached WebSockets. */
  notify(id: string, frame: { type: "changes" }): void;
}

/**
 * Watches each running session's directory and tells its WebSocket clients `{type:"changes"}`,
 * at most once per 300 ms burst, so an open Changes view refreshes itself.
 */
export class ChangesWatcher {
  private watchers = new Map<string, { w: FSWatcher; timer?: Timer }>();
  private offs: (() => void)[] = [];

  constructor(private readonly sessions: WatchedSessions) {}

  async start(hooks: HookBus) {
    this.offs.push(
      hooks.on("onSessionStart", (e) => this.watchSession(e.sessionId)),
      hooks.on("onSessionStop", (e) => this.unwatch(e.sessionId)),
    );
    for (const s of await this.sessions.list())
      if (s.status !== "exited" && s.status !== "created") await this.watchDir(s.id, s.cwd);
  }

  private async watchSession(id: string) {
    const { cwd } = await this.sessions.diffInfo(id);
    await this.watchDir(id, cwd);
  }

  /** Watches the repository holding `dir` (nothing outside git: there are no changes to show). */
  async watchDir(id: string, dir: string) {
    this.unwatch(id);
    const top = await repoTop(dir).catch(() => null);
    // A repository at / or the home directory would put a watch on every folder of the machine.
    if (!top || top === "/" || top === homedir()) return;
    try {
      const entry: { w: FSWatcher; timer?: Timer } = {
        w: watch(top, { recursive: true }, (_event, name) => {
          if (name && NOISE.test(String(name))) return;
          if (entry.timer) return;
          entry.timer = setTimeout(() => {
            entry.timer = undefined;
            this.sessions.notify(id, { type: "changes" });
          }, CHANGES_DEBOUNCE_MS);
        }),
      };
      entry.w.on("error", (e) => {
        log.debug("changes watch stopped", { id, error: e });
        this.unwatch(id);
      });
      this.watchers.set(id, entry);
    } catch (e) {
      log.debug("changes watch not started", { id, error: e });
    }
  }

  unwatch(id: string) {
    const e = this.watchers.get(id);
    if (!e) return;
    clearTimeout(e.timer);
    e.w.close();
    this.watchers.delete(id);
  }

  stop() {
    for (const off of this.offs) off();
    for (const id of [...this.watchers.keys()]) this.unwatch(id);
  }
}
