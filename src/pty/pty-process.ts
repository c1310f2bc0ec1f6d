import { constants } from "node:os";

export interface SpawnSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

export interface PtyExit {
  code: number;
  signal: string | null;
}

/** One child process on its own pseudo-terminal (Bun's built-in PTY), in its own process group. */
export class PtyProcess {
  private readonly proc: Bun.Subprocess;
  readonly exited: Promise<PtyExit>;

  constructor(spec: SpawnSpec, onData: (bytes: Uint8Array) => void) {
    this.proc = Bun.spawn(spec.argv, {
      cwd: spec.cwd,
      env: { ...spec.env, TERM: "xterm-256color", COLORTERM: "truecolor" },
      terminal: { cols: spec.cols, rows: spec.rows, data: (_terminal, bytes) => onData(bytes) },
    });
    this.exited = this.proc.exited.then(() => {
      const signal = (this.proc.signalCode as string | null) ?? null;
      const signo = signal ? ((constants.signals as Record<string, number>)[signal] ?? 0) : 0;
      return { code: this.proc.exitCode ?? 128 + signo, signal } satisfies PtyExit;
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  write(data: Uint8Array | string) {
    this.proc.terminal?.write(data);
  }

  resize(cols: number, rows: number) {
    this.proc.terminal?.resize(cols, rows);
  }

  signalGroup(signal: NodeJS.Signals) {
    try {
      process.kill(-this.proc.pid, signal);
    } catch {
      try {
        this.proc.kill(signal);
      } catch {}
    }
  }

  /** SIGHUP, 2 s, SIGTERM, 2 s, SIGKILL — to the whole process group. */
  async stop(graceMs = 2000): Promise<PtyExit> {
    const done = this.exited;
    const waitFor = (ms: number) => Promise.race([done.then(() => true), Bun.sleep(ms).then(() => false)]);
    for (const signal of ["SIGHUP", "SIGTERM"] as const) {
      this.signalGroup(signal);
      if (await waitFor(graceMs)) return done;
    }
    this.signalGroup("SIGKILL");
    return done;
  }
}
