import { readReplayed } from "../screen/transcript";
import type { SessionStream } from "../sessions/stream";

/** How long the PTY host's replay may take to bring the stream up to the restart's cursor. */
const REPLAY_WAIT_MS = 15_000;

/**
 * The text the session's terminal showed at output cursor `until` (its screen and scrollback), built
 * on a screen of its own from the stream's bytes before `until`: what later output draws is not on it.
 */
export async function screenTextAt(stream: SessionStream, until: number, cols: number, rows: number) {
  const deadline = Date.now() + REPLAY_WAIT_MS;
  while (stream.end < until && Date.now() < deadline) await Bun.sleep(50);
  const { bytes } = stream.read(stream.start, Math.max(0, until - stream.start));
  return readReplayed(bytes, { cols, rows }, 1000, (engine) => engine.heldLines().join("\n"));
}
