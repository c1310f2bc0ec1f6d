import { entryArgv, repoRoot } from "./cli";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>78]/g;

export const keys = { enter: "\r", down: "\x1b[B", up: "\x1b[A", ctrlC: "\x03", ctrlD: "\x04", backspace: "\x7f" };

/** `opendray <args>` in a real pseudo-terminal, with what it has drawn so far as plain text. */
export function inTerminal(args: string[], env: Record<string, string | undefined>) {
  let raw = "";
  const decoder = new TextDecoder();
  const proc = Bun.spawn(entryArgv(args), {
    cwd: repoRoot,
    env: { ...process.env, ...env, TERM: "xterm-256color" },
    terminal: {
      cols: 120,
      rows: 50,
      data(_t, bytes) {
        raw += decoder.decode(bytes, { stream: true });
      },
    },
  });
  const text = () => raw.replace(ANSI, "");
  let seen = 0;
  return {
    proc,
    text,
    /** Waits until `needle` is drawn after the previous match, then sends `input`. */
    async expect(needle: string, input?: string, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = text().indexOf(needle, seen);
        if (at >= 0) {
          seen = at + needle.length;
          break;
        }
        if (proc.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `never saw ${JSON.stringify(needle)} (exit ${proc.exitCode}); screen so far:\n${text().slice(-3000)}`,
          );
        }
        await Bun.sleep(10);
      }
      if (input !== undefined) proc.terminal?.write(input);
    },
    /** Sends keys one write each, so an escape sequence is never merged with the next key. */
    write(...chunks: string[]) {
      for (const chunk of chunks) proc.terminal?.write(chunk);
    },
    async exit() {
      const code = await proc.exited;
      proc.terminal?.close();
      return code;
    },
  };
}
