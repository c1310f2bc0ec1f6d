import type { AgentManifest } from "./manifest";

const SHELLS = ["zsh", "bash", "sh"];

/** The executable a command name resolves to on PATH; `auto` is $SHELL, else the first of zsh, bash, sh. */
export function whichCommand(command: string, path = process.env.PATH ?? ""): string | null {
  if (command === "auto") {
    for (const shell of [process.env.SHELL, ...SHELLS]) {
      if (!shell) continue;
      const found = Bun.which(shell, { PATH: path });
      if (found) return found;
    }
    return null;
  }
  return Bun.which(command, { PATH: path });
}

/**
 * Whether an agent's CLI is installed: its `installDetect` shell command exits 0, or by default its
 * command (or the configured replacement) is on PATH.
 */
export async function detectInstalled(manifest: AgentManifest, commandOverride?: string): Promise<boolean> {
  const detect = manifest.cliSpec.installDetect;
  if (!detect || commandOverride) return whichCommand(commandOverride ?? manifest.cliSpec.command) !== null;
  const proc = Bun.spawn(["sh", "-c", detect], { stdout: "ignore", stderr: "ignore", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
  try {
    return (await proc.exited) === 0;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A shell agent's `command` choices narrowed to the shells this host has ("auto" always stays),
 * so a phone is never offered zsh or fish where they are missing.
 */
export function offeredShells(manifest: AgentManifest, path = process.env.PATH ?? ""): AgentManifest {
  if (manifest.category !== "shell" || !manifest.configSchema) return manifest;
  const configSchema = manifest.configSchema.map((field) => {
    if (field.key !== "command" || !Array.isArray(field.options)) return field;
    const options = field.options.filter((o) => o === "auto" || whichCommand(o, path) !== null);
    return { ...field, options };
  });
  return { ...manifest, configSchema };
}
