import { ScreenEngine, type SearchHit } from "./engine";

/** How much of an ended session's newest output its search reads (the screen's own scrollback is less). */
export const TRANSCRIPT_SEARCH_BYTES = 4 * 1024 * 1024;

/**
 * Output as a terminal renders it (lines, not raw bytes with their escape codes): `bytes` replayed
 * into a throwaway emulator of the session's size, read by `read` once parsed.
 */
export async function readReplayed<T>(
  bytes: Uint8Array,
  size: { cols: number; rows: number },
  scrollback: number,
  read: (engine: ScreenEngine) => T,
): Promise<T> {
  const engine = new ScreenEngine({ cols: size.cols, rows: size.rows, scrollback });
  try {
    engine.write(bytes, bytes.length);
    await engine.settled();
    return read(engine);
  } finally {
    engine.dispose();
  }
}

/** Searches output the way a live session's screen search does. */
export function searchOutput(
  bytes: Uint8Array,
  size: { cols: number; rows: number },
  q: string,
  limit: number,
): Promise<SearchHit[]> {
  return readReplayed(bytes, size, 50_000, (engine) => engine.search(q, limit));
}
