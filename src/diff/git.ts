import { AppError } from "../errors";

export const GIT_TIMEOUT_MS = 20_000;

export interface GitResult {
  code: number;
  stdout: Uint8Array;
  stderr: string;
  /** stdout passed `maxStdout` bytes; the process was stopped and stdout cut there. */
  truncated: boolean;
}

/** The server's env minus every GIT_* variable (a GIT_DIR inherited from a hook would point git elsewhere). */
function gitEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("GIT_")) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", ...extra };
}

/** Runs `git --no-pager -C dir …args` without a shell; rejects with an `unavailable` AppError after 20 s. */
export async function git(
  dir: string,
  args: string[],
  opts: { env?: Record<string, string>; maxStdout?: number } = {},
): Promise<GitResult> {
  const proc = Bun.spawn(["git", "--no-pager", "-C", dir, ...args], {
    env: gitEnv(opts.env ?? {}),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, GIT_TIMEOUT_MS);
  try {
    const [out, stderr] = await Promise.all([
      readCapped(proc.stdout, opts.maxStdout, () => proc.kill()),
      new Response(proc.stderr).text(),
    ]);
    const code = await proc.exited;
    if (timedOut) throw new AppError("unavailable", `git ${args[0]} took longer than ${GIT_TIMEOUT_MS / 1000} s`);
    return { code: out.truncated ? 0 : code, stdout: out.bytes, stderr, truncated: out.truncated };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>, max: number | undefined, stop: () => void) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (max !== undefined && size + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - size));
      size = max;
      stop();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/** Like `git`, but a non-zero exit throws with git's own message. */
export async function gitOk(dir: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await git(dir, args, { env });
  if (r.code !== 0) throw new Error(`git ${args[0]} failed (${r.code}): ${r.stderr.trim()}`);
  return new TextDecoder().decode(r.stdout);
}
