import type { Config } from "../config";
import { type PanelLookup, panelEnabled } from "../plugins";
import type { SessionView } from "../sessions";
import { postmasterPid } from "../store";
import { type PreviewConfig, PreviewService, type PreviewSessions } from "./service";

/** The slice of SessionService preview reads. */
export interface SessionSource {
  list(): Promise<SessionView[]>;
  get(id: string): Promise<SessionView>;
  stream(id: string): Promise<{ stream: { end: number; start: number; read(since?: number): { bytes: Uint8Array } } }>;
}

export function previewSessions(sessions: SessionSource): PreviewSessions {
  const decoder = new TextDecoder();
  return {
    list: () => sessions.list(),
    get: (id) => sessions.get(id),
    async recentOutput(id, maxBytes) {
      const { stream } = await sessions.stream(id);
      return decoder.decode(stream.read(Math.max(stream.start, stream.end - maxBytes)).bytes);
    },
  };
}

/** The server's preview service: config from config.toml, OpenDray's own ports and processes guarded. */
export function createPreviewService(
  config: Config,
  sessions: SessionSource,
  registry: PanelLookup,
  tls?: PreviewConfig["tls"],
) {
  const ports = [{ port: 5432, what: "Postgres" }];
  if (config.db.mode === "external") ports.push({ port: config.db.external.port, what: "Postgres" });
  return new PreviewService(
    previewSessions(sessions),
    { ...config.preview, listenHost: config.server.host, serverPort: config.server.port, tls },
    {
      ports,
      pids: () => {
        const pg = postmasterPid(config.paths.pg);
        return [{ pid: process.pid, what: "OpenDray's own port" }, ...(pg ? [{ pid: pg, what: "Postgres" }] : [])];
      },
    },
    () => panelEnabled(registry, "preview"),
  );
}
