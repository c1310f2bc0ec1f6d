import type { ExitReason } from "./model";
import type { ControlFrame } from "./protocol";
import type { SessionStream } from "./stream";

/** Hears a session's state changes and prompts (forwarded to its WebSockets). */
export type ControlListener = (msg: ControlFrame) => void;

/** A session this server holds output for: running in the PTY host, or exited with its output loaded. */
export interface Live {
  stream: SessionStream;
  state: "running" | "idle" | "exited";
  pid: number | null;
  control: Set<ControlListener>;
  /** Set when the session exited for a reason of its own (ahead of the row, which is written after). */
  exitReason?: ExitReason | null;
  /** A stop was asked for: the exit that follows is reported as `stopped`. */
  stopping?: boolean;
  /** Adopted from the PTY host by a (re)started server: the host's output cursor then. */
  adoptedAt?: number;
}

/** The sessions this server holds output for, by id. */
export class LiveSessions {
  private readonly byId = new Map<string, Live>();

  get(id: string): Live | undefined {
    return this.byId.get(id);
  }

  /** The session if its process is running (or idle). */
  running(id: string): Live | undefined {
    const live = this.byId.get(id);
    return live && live.state !== "exited" ? live : undefined;
  }

  set(id: string, live: Live) {
    this.byId.set(id, live);
  }

  delete(id: string) {
    this.byId.delete(id);
  }

  /** The sessions whose process is running (or idle), by id. */
  runningEntries(): [string, Live][] {
    return [...this.byId].filter(([, l]) => l.state !== "exited");
  }

  runningCount(): number {
    return [...this.byId.values()].filter((l) => l.state !== "exited").length;
  }

  notify(id: string, msg: ControlFrame) {
    for (const l of this.byId.get(id)?.control ?? []) l(msg);
  }
}
