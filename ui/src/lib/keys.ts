/** What the key bar sends. Arrow keys follow the terminal's cursor-key mode (vim, less…). */
export function arrow(dir: "A" | "B" | "C" | "D", applicationMode: boolean): string {
  return applicationMode ? `\x1bO${dir}` : `\x1b[${dir}`;
}

/** Ctrl+key for a single typed character: a → \x01 … z → \x1a, plus the usual punctuation. */
export function withCtrl(data: string): string {
  if (data.length !== 1) return data;
  const c = data.toLowerCase().charCodeAt(0);
  if (c >= 97 && c <= 122) return String.fromCharCode(c - 96);
  const special: Record<string, string> = {
    "@": "\x00",
    "[": "\x1b",
    "\\": "\x1c",
    "]": "\x1d",
    "^": "\x1e",
    _: "\x1f",
    " ": "\x00",
    "?": "\x7f",
  };
  return special[data] ?? data;
}
