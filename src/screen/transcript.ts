import { ScreenEngine, type SearchHit } from "./engine";

/** How much of an ended session's newest output its search reads (the screen's own scrollback is less). */
export const TRANSCRIPT_SEARCH_BYTES = 4 * 1024 * 1024;

/**
 * Searches output the way a live session's screen search does (rendered lines, not raw bytes with
 * their escape codes): the bytes are replayed into a throwaway emulator of the session's size.
 */
export async function searchOutput(
  bytes: Uint8Array,
  size: { cols: number; rows: number },
  q: string,
  limit: number,
): Promise<SearchHit[]> {
  const engine = new ScreenEngine({ cols: size.cols, rows: size.rows, scrollback: 50_000 });
  try {
    engine.write(bytes, bytes.length);
    await engine.settled();
    return engine.search(q, limit);
  } finally {
    engine.dispose();
  }
}
