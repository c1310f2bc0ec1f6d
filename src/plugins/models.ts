import { homedir } from "node:os";
import { log } from "../log";
import { whichCommand } from "./detect";
import type { AgentManifest } from "./manifest";

export interface ModelInfo {
  id: string;
  name: string;
  description?: string;
}

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; models: ModelInfo[] }>();

/**
 * The models an agent offers: for `dynamicModels` with a `modelsCommand`, what the CLI lists (one id
 * per line, cached for a minute), followed by the manifest's models; otherwise the manifest's models.
 */
export async function listModels(
  manifest: AgentManifest,
  env: Record<string, string>,
  commandOverride?: string,
): Promise<ModelInfo[]> {
  const fixed = manifest.models ?? [];
  const argv = manifest.cliSpec.modelsCommand;
  if (!manifest.dynamicModels || !argv?.length) return fixed;
  const key = `${manifest.name}\0${commandOverride ?? ""}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.models;
  const [first, ...rest] = argv as [string, ...string[]];
  const exe = whichCommand(first === manifest.cliSpec.command && commandOverride ? commandOverride : first);
  if (!exe) return fixed;
  try {
    const proc = Bun.spawn([exe, ...rest], {
      cwd: homedir(),
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "ignore",
      stdin: "ignore",
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]).finally(() =>
      clearTimeout(timer),
    );
    if (code !== 0) throw new Error(`exit code ${code}`);
    const listed = out
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^\S+$/.test(l))
      .map((id) => ({ id, name: id }));
    const models = [...listed, ...fixed.filter((m) => !listed.some((l) => l.id === m.id))];
    cache.set(key, { at: Date.now(), models });
    return models;
  } catch (e) {
    log.warn("listing models failed", { plugin: manifest.name, error: e });
    return fixed;
  }
}
