import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { log } from "../log";

/**
 * A session's whole output on disk: a directory of append-only segment files, each named by the
 * byte cursor of its first byte, so any cursor maps to a file and an offset. Written by the PTY
 * host (no fsync: the page cache is enough to outlive the server), read by the server.
 */
export interface Segment {
  start: number;
  end: number;
  path: string;
}

const SEGMENT_NAME = /^(\d{16})\.log$/;
const segmentName = (start: number) => `${String(start).padStart(16, "0")}.log`;
const MIN_SEGMENT = 64 * 1024;
const MAX_SEGMENT = 64 * 1024 * 1024;
/** After a failed write (disk full…), the next attempt waits this long. */
const RETRY_MS = 5000;

/** Segment size for a cap: about an eighth of it, so dropping the oldest keeps most of the cap. */
export const segmentBytes = (maxBytes: number) =>
  Math.min(MAX_SEGMENT, Math.max(MIN_SEGMENT, Math.floor(maxBytes / 8)));

/** The segments in `dir`, oldest first (empty when the directory does not exist). */
export function listSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const segments: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    try {
      const start = Number(m[1]);
      segments.push({ start, end: start + statSync(path).size, path });
    } catch {} // dropped meanwhile
  }
  return segments.sort((a, b) => a.start - b.start);
}

/** The writer, in the PTY host: appends, rolls segments and drops the oldest beyond the cap. */
export class SessionLog {
  private fd: number | null = null;
  private segments: Segment[];
  private total: number;
  private readonly segmentLimit: number;
  private failedAt = 0;
  /** Cursor just past the last byte written. */
  end: number;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    startCursor: number,
    private readonly sessionId = "",
  ) {
    this.segmentLimit = segmentBytes(maxBytes);
    this.end = startCursor;
    this.segments = [];
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // A previous run's output past the cursor the server counts from is not part of this session.
      for (const s of listSegments(dir)) {
        if (s.start >= startCursor) unlinkSync(s.path);
        else {
          if (s.end > startCursor) truncateSync(s.path, startCursor - s.start);
          this.segments.push({ ...s, end: Math.min(s.end, startCursor) });
        }
      }
      const last = this.segments.at(-1);
      if (last && last.end === startCursor && last.end - last.start < this.segmentLimit)
        this.fd = openSync(last.path, "a");
    } catch (e) {
      this.fail(e);
    }
    this.total = this.segments.reduce((n, s) => n + s.end - s.start, 0);
  }

  /** Appends bytes that start at `from` (after a gap, in a new segment). Never throws. */
  append(from: number, views: Uint8Array[]) {
    const length = views.reduce((n, v) => n + v.length, 0);
    if (length === 0) return;
    if (this.failedAt) {
      if (Date.now() - this.failedAt < RETRY_MS) {
        this.end = from + length;
        return;
      }
      this.failedAt = 0;
      this.closeFd();
    }
    try {
      if (from !== this.end) this.closeFd();
      if (this.fd === null) this.open(from);
      const fd = this.fd as number;
      const current = this.segments.at(-1) as Segment;
      for (const v of views) {
        let off = 0;
        try {
          while (off < v.length) off += writeSync(fd, v, off, v.length - off);
        } finally {
          current.end += off;
          this.total += off;
        }
      }
      this.end = from + length;
      if (current.end - current.start >= this.segmentLimit) this.closeFd();
      this.dropOldest();
    } catch (e) {
      this.end = from + length;
      this.fail(e);
    }
  }

  private open(from: number) {
    const path = join(this.dir, segmentName(from));
    const last = this.segments.at(-1);
    if (last?.start === from) {
      this.segments.pop();
      this.total -= last.end - last.start;
    }
    if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.fd = openSync(path, "w", 0o600);
    this.segments.push({ start: from, end: from, path });
    this.end = from;
  }

  private dropOldest() {
    while (this.total > this.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift() as Segment;
      this.total -= oldest.end - oldest.start;
      try {
        unlinkSync(oldest.path);
      } catch {}
    }
  }

  private fail(e: unknown) {
    this.failedAt = Date.now();
    // a partly written segment ends where its bytes end; the next attempt starts a new one
    const current = this.segments.at(-1);
    if (this.fd !== null && current) {
      try {
        ftruncateSync(this.fd, current.end - current.start);
      } catch {}
    }
    this.closeFd();
    log.warn("session output not written to its log; it is kept in memory only for now", {
      id: this.sessionId,
      error: (e as Error).message,
    });
  }

  private closeFd() {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {}
    this.fd = null;
  }

  close() {
    this.closeFd();
  }
}
