import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { log } from "../log";
import { clearFault, reportFault } from "../shared/faults";
import { OutputLog } from "./output-log";
import { SessionStream } from "./stream";

/** What a loaded exited session keeps in memory; older output is read from its log on demand. */
const HOT_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 5000;

/**
 * The output of exited sessions is kept on disk, so it outlives the PTY host too: the session's
 * output log (`<dir>/<id>/`, written by the PTY host), or where the log does not hold it all (a
 * session from before the log, a log the disk refused), the ring saved at exit (`<dir>/<id>.out`).
 * A save the disk refuses (ENOSPC…) is logged, shown in /api/health, kept in memory and retried.
 */
export const outputFiles = (dir: string) => {
  const unsaved = new Map<string, SessionStream>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fault = (id: string) => `disk:output:${id}`;

  const write = (id: string, stream: SessionStream): boolean => {
    const file = join(dir, `${id}.out`);
    const tmp = `${file}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, stream.read().bytes, { mode: 0o600 });
      renameSync(tmp, file);
    } catch (error) {
      rmSync(tmp, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (!unsaved.has(id)) log.error("session output not saved; retrying", { id, file, error });
      reportFault(fault(id), "disk", `output of session ${id} not saved (${code === "ENOSPC" ? "disk full" : code})`);
      return false;
    }
    if (unsaved.delete(id)) log.info("session output saved after all", { id });
    clearFault(fault(id));
    return true;
  };

  const retry = () => {
    timer = undefined;
    for (const [id, stream] of unsaved) write(id, stream);
    if (unsaved.size) schedule();
  };
  const schedule = () => {
    timer ??= setTimeout(retry, RETRY_MS);
    timer.unref();
  };

  return {
    /** Where the PTY host appends the session's output. */
    logDir(id: string) {
      return join(dir, id);
    },
    log(id: string) {
      return new OutputLog(join(dir, id));
    },
    /** false when the disk refused it (the stream is kept and saved later). */
    save(id: string, stream: SessionStream): boolean {
      if ((new OutputLog(join(dir, id)).end ?? -1) >= stream.end) return true; // the log holds it all
      if (write(id, stream)) return true;
      unsaved.set(id, stream);
      schedule();
      return false;
    },
    /** Why this session's output is not on disk yet, if it is not. */
    problem(id: string): string | null {
      return unsaved.has(id) ? "its output could not be saved to disk (the server keeps retrying)" : null;
    },
    load(id: string, endCursor: number): SessionStream {
      const kept = unsaved.get(id);
      if (kept) return kept;
      const log = new OutputLog(join(dir, id));
      const logEnd = log.end;
      if (logEnd !== null && logEnd >= endCursor) {
        const stream = new SessionStream(Math.max(log.start ?? logEnd, logEnd - HOT_BYTES), log);
        while (stream.end < logEnd) {
          const piece = log.read(stream.end, logEnd - stream.end);
          if (!piece || piece.bytes.length === 0) break;
          stream.append(piece.from, piece.bytes);
        }
        return stream;
      }
      const file = join(dir, `${id}.out`);
      const bytes = existsSync(file) ? new Uint8Array(readFileSync(file)) : new Uint8Array(0);
      const stream = new SessionStream(Math.max(0, endCursor - bytes.length), logEnd === null ? undefined : log);
      stream.append(stream.end, bytes);
      return stream;
    },
    remove(id: string) {
      unsaved.delete(id);
      clearFault(fault(id));
      rmSync(join(dir, `${id}.out`), { force: true });
      rmSync(join(dir, id), { recursive: true, force: true });
    },
  };
};

export type OutputFiles = ReturnType<typeof outputFiles>;
