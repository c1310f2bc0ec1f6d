/** Realistic agent/build output for the screen benchmarks: coloured logs, diffs, spinner redraws, a TUI repaint. */
export function realisticOutput(totalBytes: number, seed = 7): Uint8Array {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const words = [
    "const",
    "return",
    "await",
    "session",
    "buffer",
    "cursor",
    "prompt",
    "screen",
    "error",
    "value",
    "request",
    "handler",
  ];
  const line = () => Array.from({ length: 4 + rand(14) }, () => words[rand(words.length)]).join(" ");
  const pieces: string[] = [];
  let size = 0;
  const push = (x: string) => {
    pieces.push(x);
    size += x.length;
  };
  while (size < totalBytes) {
    switch (rand(6)) {
      case 0:
        push(`\x1b[32m+\x1b[0m  ${line()}\r\n\x1b[31m-\x1b[0m  ${line()}\r\n`);
        break;
      case 1:
        push(
          `src/${words[rand(12)]}/${words[rand(12)]}.ts:${rand(900)}:${rand(80)} - \x1b[1;31merror\x1b[0m \x1b[90mTS${2000 + rand(900)}:\x1b[0m ${line()}\r\n`,
        );
        break;
      case 2:
        // A spinner line redrawn in place.
        for (let i = 0; i < 5; i++) push(`\r\x1b[2K\x1b[36m${"⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[i]}\x1b[0m Thinking… ${rand(100)}s`);
        push("\r\n");
        break;
      case 3:
        // A TUI repaint of a box at the bottom of the screen.
        push(
          `\x1b7\x1b[36;1H\x1b[2K╭${"─".repeat(100)}╮\r\n\x1b[2K│ ❯ ${line().padEnd(97)}│\r\n\x1b[2K╰${"─".repeat(100)}╯\x1b8`,
        );
        break;
      default:
        push(`${line()} ${line()}\r\n`);
    }
  }
  return new TextEncoder().encode(pieces.join("")).subarray(0, totalBytes);
}
