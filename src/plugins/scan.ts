import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type Manifest, type ManifestIssue, parseManifest, parseManifestText } from "./manifest";

export type PluginSource = "builtin" | "local" | "user";

export interface LoadedManifest {
  manifest: Manifest;
  source: PluginSource;
  /** The manifest file (a repo-relative path for builtins). */
  file: string;
}

/** A manifest that could not be loaded: the file, and for each problem the field and why. */
export interface ManifestError {
  file: string;
  issues: ManifestIssue[];
}

export interface ScanResult {
  manifests: LoadedManifest[];
  errors: ManifestError[];
}

/** Every manifest.json under `dir` (any depth); `_template` and dot-directories are skipped. */
export function findManifestFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries.sort()) {
    if (entry.startsWith(".") || entry === "_template" || entry === "node_modules") continue;
    const path = join(dir, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDir) out.push(...findManifestFiles(path));
    else if (entry === "manifest.json") out.push(path);
  }
  return out;
}

function collect(
  result: ScanResult,
  seen: Map<string, string>,
  source: PluginSource,
  file: string,
  parsed: ReturnType<typeof parseManifest>,
) {
  if (!parsed.ok) {
    result.errors.push({ file, issues: parsed.issues });
    return;
  }
  const first = seen.get(parsed.manifest.name);
  if (first) {
    result.errors.push({
      file,
      issues: [{ path: "name", message: `"${parsed.manifest.name}" is already defined by ${first}` }],
    });
    return;
  }
  seen.set(parsed.manifest.name, file);
  result.manifests.push({ manifest: parsed.manifest, source, file });
}

export function scanBuiltins(builtins: { file: string; json: unknown }[]): ScanResult {
  const result: ScanResult = { manifests: [], errors: [] };
  const seen = new Map<string, string>();
  for (const b of builtins) collect(result, seen, "builtin", b.file, parseManifest(b.json));
  return result;
}

export function scanDirectory(dir: string, source: PluginSource): ScanResult {
  const result: ScanResult = { manifests: [], errors: [] };
  const seen = new Map<string, string>();
  for (const file of findManifestFiles(dir)) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      result.errors.push({ file, issues: [{ path: "", message: `cannot read: ${(e as Error).message}` }] });
      continue;
    }
    collect(result, seen, source, file, parseManifestText(text));
  }
  return result;
}

export const describeError = (e: ManifestError, base?: string) =>
  e.issues.map((i) => `${base ? relative(base, e.file) : e.file}: ${i.path || "(manifest)"}: ${i.message}`).join("\n");
