import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OutputLog } from "./output-log";
import { SessionStream } from "./stream";

/** What a loaded exited session keeps in memory; older output is read from its log on demand. */
const HOT_BYTES = 4 * 1024 * 1024;

/**
 * The output of exited sessions is kept on disk, so it outlives the PTY host too: the session's
 * output log (`<dir>/<id>/`, written by the PTY host), or for sessions from before the log, the
 * ring saved at exit (`<dir>/<id>.out`).
 */
export const outputFiles = (dir: string) => ({
  /** Where the PTY host appends the session's output. */
  logDir(id: string) {
    return join(dir, id);
  },
  log(id: string) {
    return new OutputLog(join(dir, id));
  },
  save(id: string, stream: SessionStream) {
    // the log already holds it all
    if ((new OutputLog(join(dir, id)).end ?? -1) >= stream.end) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, `${id}.out`), stream.read().bytes, { mode: 0o600 });
  },
  load(id: string, endCursor: number): SessionStream {
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
    rmSync(join(dir, `${id}.out`), { force: true });
    rmSync(join(dir, id), { recursive: true, force: true });
  },
});

export type OutputFiles = ReturnType<typeof outputFiles>;
