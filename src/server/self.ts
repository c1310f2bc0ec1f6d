import { settings } from "../config";
import { isCompiled } from "../shared/runtime";

/** argv that re-runs this program (the compiled binary, or bun + src/main.ts from source). */
export function selfCommand(): string[] {
  return isCompiled() ? [process.execPath] : [process.execPath, Bun.main];
}

/** Every env var OpenDray reads as a secret (from the settings schema), its admin name, and its own OPENDRAY_* names. */
const SECRET_NAMES = new Set<string>([
  "ADMIN_USERNAME",
  ...settings.flatMap((s) => ("secret" in s && s.secret && "env" in s && s.env ? [s.env] : [])),
]);
const isSecretEnv = (name: string) => SECRET_NAMES.has(name) || name.startsWith("OPENDRAY_");
/** A session is an interactive terminal: CI markers inherited by the server make agents (Gemini CLI) refuse their TUI. */
const CI_ENV = /^(CI|CONTINUOUS_INTEGRATION)$/;

/** The server's environment without OpenDray's own secrets, for the PTY host and every session. */
export function sessionBaseEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isSecretEnv(k) && !CI_ENV.test(k)) out[k] = v;
  return out;
}
