import { closeSync, fstatSync, readSync } from "node:fs";
import { openInside, type Root, resolveInside } from "../files";
import type { LogFrame } from "./protocol";

/** How much is replayed when a client gives no cursor: the last 64 KB, from a line start. */
export const BACKLOG_BYTES = 64 * 1024;
/** A line longer than this is sent in pieces rather than held back. */
const MAX_LINE = 64 * 1024;
const READ_CHUNK = 256 * 1024;

/**
 * Follows one log file by byte cursor, reopening it through the sandbox at every poll: a replaced
 * file (new inode) or a shorter one (truncation) is reported, then read from its start.
 */
export class LogTail {
  private ino: number | null = null;
  private pos = 0;

  constructor(
    private readonly root: Root,
    private readonly path: string,
    private readonly grep: RegExp | null,
  ) {}

  /** Where reading starts: `since`, or the last 64 KB aligned to a line; a `since` past the end is a truncation. */
  open(since: number | undefined): LogFrame[] {
    const fd = openInside(this.root, resolveInside(this.root, this.path));
    try {
      const st = fstatSync(fd);
      this.ino = st.ino;
      const frames: LogFrame[] = [];
      if (since !== undefined && since > st.size) {
        frames.push({ type: "rotated", reason: "shrink", cursor: 0 });
        this.pos = 0;
      } else if (since !== undefined) this.pos = since;
      else this.pos = alignedBacklogStart(fd, st.size);
      frames.unshift({ type: "ready", path: this.path, from: this.pos, size: st.size });
      return frames;
    } finally {
      closeSync(fd);
    }
  }

  /** New complete lines since the last poll (a rotation marker first when the file was replaced or cut). */
  poll(): LogFrame[] {
    const fd = openInside(this.root, resolveInside(this.root, this.path));
    const frames: LogFrame[] = [];
    try {
      const st = fstatSync(fd);
      if (this.ino !== null && st.ino !== this.ino) {
        frames.push({ type: "rotated", reason: "inode", cursor: 0 });
        this.pos = 0;
      } else if (st.size < this.pos) {
        frames.push({ type: "rotated", reason: "shrink", cursor: 0 });
        this.pos = 0;
      }
      this.ino = st.ino;
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      while (this.pos < st.size) {
        const n = readSync(fd, buf, 0, Math.min(READ_CHUNK, st.size - this.pos), this.pos);
        if (n <= 0) break;
        const chunk = buf.subarray(0, n);
        let end = chunk.lastIndexOf(0x0a) + 1;
        if (end === 0) {
          // An unfinished last line waits for its newline unless it is already very long.
          if (n < MAX_LINE) break;
          end = n;
        }
        const lines = chunk.subarray(0, end).toString("utf8").split("\n");
        if (lines.at(-1) === "") lines.pop();
        this.pos += end;
        const grep = this.grep;
        const shown = (grep ? lines.filter((l) => grep.test(l)) : lines).map((l) => l.replace(/\r$/, ""));
        frames.push({ type: "lines", cursor: this.pos, lines: shown });
      }
    } finally {
      closeSync(fd);
    }
    return frames;
  }
}

function alignedBacklogStart(fd: number, size: number): number {
  if (size <= BACKLOG_BYTES) return 0;
  const start = size - BACKLOG_BYTES;
  const buf = Buffer.allocUnsafe(BACKLOG_BYTES);
  const n = readSync(fd, buf, 0, BACKLOG_BYTES, start);
  const nl = buf.subarray(0, n).indexOf(0x0a);
  return nl < 0 ? start : start + nl + 1;
}
