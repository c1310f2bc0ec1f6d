import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SessionStream } from "./stream";

/** The output of exited sessions is kept on disk, so it outlives the PTY host too. */
export const outputFiles = (dir: string) => ({
  save(id: string, stream: SessionStream) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, `${id}.out`), stream.read().bytes, { mode: 0o600 });
  },
  load(id: string, endCursor: number): SessionStream {
    const file = join(dir, `${id}.out`);
    const bytes = existsSync(file) ? new Uint8Array(readFileSync(file)) : new Uint8Array(0);
    const stream = new SessionStream(Math.max(0, endCursor - bytes.length));
    stream.append(stream.end, bytes);
    return stream;
  },
  remove(id: string) {
    rmSync(join(dir, `${id}.out`), { force: true });
  },
});

export type OutputFiles = ReturnType<typeof outputFiles>;
