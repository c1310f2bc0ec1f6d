// The server's own view types (type-only imports: nothing of the server reaches the bundle).
export type { Prompt } from "../../../src/prompts/model";
export type {
  CreateSessionRequest as CreateSession,
  SessionStatus,
  SessionView as Session,
} from "../../../src/sessions/model";

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
  /** Why this agent runs differently on this server (Codex's sandbox in a container), if it does. */
  notice?: string | null;
}

/** GET /api/providers returns the manifest nested under `provider`. */
export interface ProviderEntry {
  name: string;
  provider: {
    displayName?: string;
    description?: string;
    i18n?: Record<string, { displayName?: string; description?: string }>;
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
  notice?: string | null;
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
