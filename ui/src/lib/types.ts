export type SessionStatus = "created" | "running" | "idle" | "waiting" | "exited";

export interface Session {
  id: string;
  name: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  /** Set when the session runs on a registered model endpoint. */
  llmProviderId?: string | null;
  extraArgs: string[];
  envOverrides: Record<string, string>;
  status: SessionStatus;
  exitCode: number | null;
  pid: number | null;
  cols: number;
  rows: number;
  cursor: number;
  resumeId: string | null;
  lastLine: string;
  createdAt: string;
  startedAt: string | null;
  exitedAt: string | null;
  lastActiveAt: string | null;
}

export interface ConfigOption {
  key: string;
  label: string;
  type: "boolean" | "string" | "number" | "select" | "secret" | string;
  description?: string;
  placeholder?: string;
  default?: unknown;
  options?: (string | { value: string; label?: string })[];
  /** Shown only when option `dependsOn` has the value `dependsVal`. */
  dependsOn?: string;
  dependsVal?: unknown;
  group?: string;
}

export interface Provider {
  name: string;
  displayName: string;
  icon?: string;
  kind?: string;
  installed: boolean;
  enabled: boolean;
  installHint?: string;
  models: { id: string; name: string }[];
  capabilities?: Record<string, unknown>;
  configSchema: ConfigOption[];
  /** The provider's stored option values (secrets only as set/unset). */
  config: Record<string, unknown>;
}

/** GET /api/providers returns the manifest nested under `provider`. */
export interface ProviderEntry {
  name: string;
  provider: {
    displayName?: string;
    icon?: string;
    kind?: string;
    configSchema?: ConfigOption[];
    models?: { id: string; name: string }[];
    capabilities?: Record<string, unknown>;
    cliSpec?: { install?: string };
  };
  config?: Record<string, unknown>;
  installed: boolean | null;
  enabled: boolean;
}

export interface Prompt {
  id: string;
  sessionId: string;
  agent: string;
  kind: string;
  question: string;
  options: { key: string; label: string }[];
  multi: boolean;
  detectedAt: string;
}

export interface DiffFile {
  path: string;
  status: string;
  additions: number;
  deletions: number;
}

export interface SessionDiff {
  baseline: string | null;
  files: DiffFile[];
  diff: string;
}

export interface Health {
  status: string;
  version: string;
  sessions: number;
}

export interface CreateSession {
  name?: string;
  sessionType: string;
  cwd: string;
  model?: string | null;
  llmProviderId?: string;
  llmFallbacks?: { providerId: string; model: string }[];
  extraArgs?: string[];
  cols?: number;
  rows?: number;
}
