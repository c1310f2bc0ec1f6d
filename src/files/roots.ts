import { realpathSync, statSync } from "node:fs";
import { basename, isAbsolute } from "node:path";
import { AppError, invalidField, notFound } from "../errors";
import type { PluginRegistry } from "../plugins";
import type { Root } from "./sandbox";

/** The slice of the session service the files need: where a session runs (a 404 AppError for unknown ids). */
export interface FilesSessions {
  diffInfo(id: string): Promise<{ cwd: string }>;
}

export interface RootDeps {
  registry: PluginRegistry;
  sessions: FilesSessions;
  /** `files.roots` from config.toml: `name=/abs/path` or `/abs/path` (named by its last component). */
  configRoots?: string[];
  /** The panel whose allowedRoots add roots and whose settings apply (default files). */
  panel?: string;
}

export interface PanelSettings {
  showHidden: boolean;
  maxFileBytes: number;
}

/** Parses `name=/path` or `/path` entries; relative or empty ones are dropped. */
export function parseRoots(entries: string[]): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const eq = entry.indexOf("=");
    const [name, path] = eq > 0 && !entry.startsWith("/") ? [entry.slice(0, eq), entry.slice(eq + 1)] : ["", entry];
    if (!path || !isAbsolute(path)) continue;
    out.push({ name: (name || basename(path) || "root").trim(), path });
  }
  return out;
}

function realDir(path: string, what: string): string {
  try {
    const real = realpathSync(path);
    if (statSync(real).isDirectory()) return real;
  } catch {}
  throw new AppError("not_found", `${what} is not an existing directory`);
}

/** Resolves `sessionId=` or `root=` to a root, and reads the files panel's settings. */
export class Roots {
  constructor(private readonly deps: RootDeps) {}

  /** Every configured root (config.toml first, then the panel's allowedRoots). */
  configured(): { name: string; path: string }[] {
    const panel = this.deps.registry.config(this.deps.panel ?? "files").allowedRoots;
    const fromPanel = typeof panel === "string" ? panel.split(",") : [];
    const seen = new Set<string>();
    return parseRoots([...(this.deps.configRoots ?? []), ...fromPanel]).filter((r) => {
      if (seen.has(r.name)) return false;
      seen.add(r.name);
      return true;
    });
  }

  async resolve(q: { sessionId?: string; root?: string }): Promise<Root> {
    if (q.sessionId && q.root) throw invalidField("root", "give sessionId or root, not both");
    if (q.sessionId) {
      const { cwd } = await this.deps.sessions.diffInfo(q.sessionId);
      return { name: `session:${q.sessionId}`, real: realDir(cwd, "the session's directory") };
    }
    if (!q.root) throw invalidField("sessionId", "give sessionId (that session's directory) or root (a root's name)");
    const found = this.configured().find((r) => r.name === q.root);
    if (!found) throw notFound(`root "${q.root}"`);
    return { name: found.name, real: realDir(found.path, `root "${found.name}"`) };
  }

  settings(): PanelSettings {
    const c = this.deps.registry.config("files");
    const kb = Number(c.maxFileSize);
    return {
      showHidden: c.showHidden === true,
      maxFileBytes: Number.isFinite(kb) && kb > 0 ? Math.min(kb, 64 * 1024) * 1024 : 512 * 1024,
    };
  }
}
