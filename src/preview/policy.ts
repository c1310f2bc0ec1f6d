import { AppError } from "../errors";
import { treePorts } from "./discovery";
import { listeningPorts, parentMap } from "./procfs";
import type { PreviewSession } from "./service";

/** What must never be previewed: OpenDray's own processes and ports. */
export interface Guard {
  /** Ports named outright, e.g. OpenDray's port and Postgres's. */
  ports: { port: number; what: string }[];
  /** Processes whose ports are off limits (OpenDray, Postgres); read at check time. */
  pids(): { pid: number; what: string }[];
}

/** Decides whether a session may open a port, and where the port answers. */
export class PortPolicy {
  constructor(
    private readonly config: { allowPorts: [number, number][]; serverPort: number; portRange: [number, number] },
    private readonly guard: Guard,
  ) {}

  private allowed(port: number) {
    return this.config.allowPorts.some(([a, b]) => port >= a && port <= b);
  }

  /** Why `port` is OpenDray's (403 whatever the configuration says), or null. */
  private protectedBy(port: number, sessionPid: number | null): string | null {
    if (port === this.config.serverPort) return "OpenDray's own port";
    const named = this.guard.ports.find((p) => p.port === port);
    if (named) return named.what;
    const parents = parentMap();
    const owners = [...this.guard.pids()];
    // The session's parent is the PTY host, which outlives the server.
    const ptyd = sessionPid ? parents.get(sessionPid) : undefined;
    if (ptyd && ptyd > 1) owners.push({ pid: ptyd, what: "the PTY host" });
    // Each owner's own sockets only: the server's descendants include the PTY host and every session.
    for (const owner of owners) if (listeningPorts([owner.pid]).some((p) => p.port === port)) return owner.what;
    return null;
  }

  /** The host the port answers on (127.0.0.1 or [::1]); 403 when it may not be previewed. */
  async check(session: PreviewSession, port: number): Promise<string> {
    const what = this.protectedBy(port, session.pid);
    if (what) throw new AppError("forbidden", `port ${port} is ${what}; it cannot be previewed`);
    const owned = session.pid ? (await treePorts(session.pid)).find((p) => p.port === port) : undefined;
    if (!owned && !this.allowed(port))
      throw new AppError(
        "forbidden",
        `port ${port} is not listened on by session ${session.name}'s processes (add it to preview.allow_ports to allow it)`,
      );
    const address = owned?.address ?? "127.0.0.1";
    if (address === "0.0.0.0") return "127.0.0.1";
    if (address === "::") return "[::1]";
    return address.includes(":") ? `[${address}]` : address;
  }
}
