import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { listSegments, type Segment } from "../pty/session-log";

/**
 * The server's read side of a session's output log (the PTY host writes it): any range still on
 * disk, by byte cursor.
 */
export class OutputLog {
  private segments: Segment[] = [];

  constructor(readonly dir: string) {}

  private refresh(): Segment[] {
    this.segments = listSegments(this.dir);
    return this.segments;
  }

  /** Cursor of the oldest byte on disk, or null when the log is empty. */
  get start(): number | null {
    return this.refresh()[0]?.start ?? null;
  }

  /** Cursor just past the newest byte on disk (null when empty). */
  get end(): number | null {
    return this.refresh().at(-1)?.end ?? null;
  }

  /**
   * Up to `maxBytes` from cursor `from`. When those bytes are gone (dropped by the cap), the read
   * starts at the oldest byte held after `from`; null when the log holds nothing at or after it.
   */
  read(from: number, maxBytes: number): { from: number; bytes: Uint8Array } | null {
    for (let attempt = 0; attempt < 2; attempt++) {
      let segments = this.segments;
      const last = segments.at(-1);
      if (!last || from < (segments[0]?.start ?? 0) || from >= last.end || attempt > 0) segments = this.refresh();
      const segment = segments.find((s) => s.end > from);
      if (!segment) return null;
      const begin = Math.max(from, segment.start);
      const length = Math.min(maxBytes, segment.end - begin);
      try {
        const bytes = readRange(segment.path, begin - segment.start, length);
        return { from: begin, bytes };
      } catch {
        // the segment was dropped by the cap while we read: look again
      }
    }
    return null;
  }

  /** The open files for [from, to), read lazily: what stays readable even if the cap drops it meanwhile. */
  pieces(from: number, to: number): { from: number; to: number; fd: number; offset: number }[] {
    const out: { from: number; to: number; fd: number; offset: number }[] = [];
    for (const s of this.refresh()) {
      if (s.end <= from || s.start >= to) continue;
      const begin = Math.max(from, s.start);
      try {
        out.push({ from: begin, to: Math.min(to, s.end), fd: openSync(s.path, "r"), offset: begin - s.start });
      } catch {}
    }
    return out;
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readRange(path: string, offset: number, length: number): Uint8Array {
  const fd = openSync(path, "r");
  try {
    return readFd(fd, offset, length);
  } finally {
    closeSync(fd);
  }
}

/** Reads `length` bytes at `offset` of an open file into a fresh array (shorter at its end). */
export function readFd(fd: number, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, bytes, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? bytes : bytes.subarray(0, got);
}
