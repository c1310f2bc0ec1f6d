import { log } from "../log";

/**
 * Codex runs its commands under bubblewrap, which needs user namespaces; a container under the
 * engine's default seccomp/AppArmor profile has none ("bwrap: No permissions to create a new
 * namespace", openai/codex#23468). In a container, the first Codex launch probes this once: when
 * bubblewrap fails and Codex's Landlock fallback works, launches add it; either way the notice says
 * why, in Providers and the launcher.
 */
export interface CodexSandbox {
  /** Prepended to Codex's arguments. */
  args: string[];
  notice: string | null;
}

const LANDLOCK = ["-c", "features.use_legacy_landlock=true"];
let probe: Promise<CodexSandbox> | null = null;
let known: CodexSandbox | null = null;

async function succeeds(argv: string[]): Promise<boolean> {
  try {
    const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    const code = await proc.exited.finally(() => clearTimeout(timer));
    return code === 0;
  } catch {
    return false;
  }
}

async function detect(codex: string): Promise<CodexSandbox> {
  if (await succeeds([codex, "sandbox", "--", "true"])) return { args: [], notice: null };
  if (await succeeds([codex, ...LANDLOCK, "sandbox", "--", "true"])) {
    return {
      args: LANDLOCK,
      notice:
        "This container cannot create the namespaces Codex's bubblewrap sandbox needs, so Codex runs with its Landlock sandbox instead (features.use_legacy_landlock).",
    };
  }
  return {
    args: [],
    notice:
      "This container cannot create the namespaces Codex's sandbox needs, and its Landlock fallback does not work here either: commands Codex runs in its sandbox will fail. Set Sandbox to danger-full-access for Codex (the container is then the boundary), or run the container with user namespaces allowed.",
  };
}

/** The probe's result for the Codex executable at `path` (run once per server). */
export function codexSandbox(path: string): Promise<CodexSandbox> {
  probe ??= detect(path).then((result) => {
    known = result;
    if (result.notice) log.warn("codex sandbox", { detail: result.notice });
    return result;
  });
  return probe;
}

/** The notice, once a probe has finished (null before and when bubblewrap works). */
export const codexSandboxNotice = (): string | null => known?.notice ?? null;

/** Starts the probe at server start in a container, so Providers can say why before the first launch. */
export function probeCodexSandboxEarly(find: (name: string) => string | null) {
  const codex = find("codex");
  if (codex) void codexSandbox(codex);
}
