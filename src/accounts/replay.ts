import { ScreenModel } from "../screen";
import { type SessionStream, stripAnsi } from "../sessions/stream";

/** How long the PTY host's replay may take to bring the stream up to the restart's cursor. */
const REPLAY_WAIT_MS = 15_000;

/**
 * The text the session's terminal showed at output cursor `until` (its screen and scrollback), built
 * on a screen of its own from the stream's bytes before `until`: what later output draws is not on it.
 */
export async function screenTextAt(stream: SessionStream, until: number, cols: number, rows: number) {
  const deadline = Date.now() + REPLAY_WAIT_MS;
  while (stream.end < until && Date.now() < deadline) await Bun.sleep(50);
  const from = stream.start;
  const { from: at, bytes } = stream.read(from, Math.max(0, until - from));
  const screen = new ScreenModel(cols, rows, 1000, { startCursor: at });
  try {
    screen.write(bytes, at + bytes.length);
    const [{ lines }, { data }] = await Promise.all([
      screen.snapshot({ settled: true }),
      screen.serialize({ scrollbackLines: 1000, settled: true }),
    ]);
    // the serializer writes runs of blanks as cursor-forward moves
    // biome-ignore lint/suspicious/noControlCharactersInRegex: reading terminal escapes is the point
    const scrollback = stripAnsi(data).replace(/\x1b\[(\d*)C/g, (_m, n: string) => " ".repeat(Number(n || 1)));
    return `${lines.join("\n")}\n${scrollback}`;
  } finally {
    screen.dispose();
  }
}
