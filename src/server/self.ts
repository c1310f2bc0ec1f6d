import { isCompiled } from "../shared/runtime";

/** argv that re-runs this program (the compiled binary, or bun + src/main.ts from source). */
export function selfCommand(): string[] {
  return isCompiled() ? [process.execPath] : [process.execPath, Bun.main];
}

const SECRET_ENV = /^(JWT_SECRET|ADMIN_PASSWORD|ADMIN_USERNAME|DB_PASSWORD|OPENDRAY_TELEGRAM_BOT_TOKEN|OPENDRAY_.*)$/;
/** A session is an interactive terminal: CI markers inherited by the server make agents (Gemini CLI) refuse their TUI. */
const CI_ENV = /^(CI|CONTINUOUS_INTEGRATION)$/;

/** The server's environment without OpenDray's own secrets, for the PTY host and every session. */
export function sessionBaseEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !SECRET_ENV.test(k) && !CI_ENV.test(k)) out[k] = v;
  return out;
}
