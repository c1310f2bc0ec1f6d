import { closeSync } from "node:fs";
import { readFd } from "./output-log";
import type { SessionStream } from "./stream";

const CHUNK = 1024 * 1024;

export interface OutputRange {
  /** Cursor of the first byte sent (later than asked when older bytes are gone). */
  from: number;
  /** Cursor just past the last byte sent. */
  to: number;
  truncated: boolean;
  body: ReadableStream<Uint8Array>;
}

/**
 * Output bytes [since, until) of a session, out of its log on disk and its ring, streamed. The
 * ring's part is copied at once and the log's files are opened at once, so the range stays whole
 * even while the cap drops old segments or the ring moves on.
 */
export function outputRange(stream: SessionStream, since?: number, until?: number): OutputRange {
  const end = Math.min(until ?? stream.end, stream.end);
  const ringStart = stream.start;
  const asked = since ?? stream.oldest;
  const begin = Math.min(asked, end);
  const ringFrom = Math.min(Math.max(begin, ringStart), end);
  const ringBytes = stream.read(ringFrom, end - ringFrom).bytes;
  let pieces = begin < ringStart && stream.log ? stream.log.pieces(begin, Math.min(ringStart, end)) : [];
  // only a run of pieces that meets the ring (or the range's end) without a gap is served
  let joinsAt = Math.min(ringStart, end);
  let keepFrom = pieces.length;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i] as (typeof pieces)[number];
    if (p.to !== joinsAt) break;
    keepFrom = i;
    joinsAt = p.from;
  }
  for (const p of pieces.slice(0, keepFrom)) closeSync(p.fd);
  pieces = pieces.slice(keepFrom);
  const from = pieces[0]?.from ?? ringFrom;
  const closeAll = () => {
    for (const p of pieces) {
      try {
        closeSync(p.fd);
      } catch {}
    }
    pieces = [];
  };
  let ringSent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const p = pieces[0];
      if (p) {
        const bytes = readFd(p.fd, p.offset, Math.min(CHUNK, p.to - p.from));
        if (bytes.length === 0) {
          // the file is shorter than listed: what follows would not join up
          closeAll();
          controller.error(new Error("session log changed while it was read"));
          return;
        }
        p.from += bytes.length;
        p.offset += bytes.length;
        if (p.from >= p.to) {
          closeSync(p.fd);
          pieces.shift();
        }
        controller.enqueue(bytes);
        return;
      }
      if (!ringSent && ringBytes.length) {
        ringSent = true;
        controller.enqueue(ringBytes);
        return;
      }
      controller.close();
    },
    cancel: closeAll,
  });
  return { from, to: end, truncated: from > asked, body };
}
