/** Telegram rejects messages over 4096 characters; stay clear of it after entity expansion. */
export const MESSAGE_LIMIT = 3900;

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** What an HTML message says once Telegram could not parse it: tags dropped, entities decoded. */
export const htmlToPlain = (s: string) =>
  s
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const BOX_DRAWING = /[\u2500-\u259F]/g;

/**
 * Turns raw PTY output into plain lines the way a terminal would show them line by line: escape
 * sequences dropped, carriage return overwrites, backspace erases, erase-line honoured. Returns
 * the finished lines and the unfinished last one (no newline yet).
 */
export function terminalLines(raw: string): { lines: string[]; partial: string } {
  const lines: string[] = [];
  let line: string[] = [];
  let col = 0;
  let i = 0;
  const put = (ch: string) => {
    line[col] = ch;
    col++;
  };
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === "\x1b") {
      const next = raw[i + 1];
      if (next === "[") {
        let j = i + 2;
        while (j < raw.length && !/[@-~]/.test(raw[j] as string)) j++;
        const final = raw[j];
        const params = raw.slice(i + 2, j);
        if (final === "K") {
          const mode = Number(params || "0");
          if (mode === 0) line = line.slice(0, col);
          else if (mode === 2) line = [];
        } else if (final === "G") col = Math.max(0, Number(params || "1") - 1);
        else if (final === "C") col += Number(params || "1");
        else if (final === "D") col = Math.max(0, col - Number(params || "1"));
        i = j + 1;
        continue;
      }
      if (next === "]" || next === "P" || next === "_" || next === "^") {
        // OSC/DCS/APC/PM strings end with BEL or ST.
        let j = i + 2;
        while (j < raw.length && raw[j] !== "\x07" && !(raw[j] === "\x1b" && raw[j + 1] === "\\")) j++;
        i = raw[j] === "\x07" ? j + 1 : j + 2;
        continue;
      }
      i += next === "(" || next === ")" || next === "#" ? 3 : 2;
      continue;
    }
    if (ch === "\n") {
      lines.push(finish(line));
      line = [];
      col = 0;
    } else if (ch === "\r") col = 0;
    else if (ch === "\b") col = Math.max(0, col - 1);
    else if (ch === "\t") put("\t");
    else if (ch >= " " || ch > "\x7f") put(ch);
    i++;
  }
  return { lines, partial: finish(line) };
}

function finish(cells: string[]): string {
  let s = "";
  for (let k = 0; k < cells.length; k++) s += cells[k] ?? " ";
  return s.replace(BOX_DRAWING, " ").replace(/\s+$/, "");
}

/** Clean text of raw output: lines with blank runs squeezed. */
export function cleanOutput(raw: string): string[] {
  const { lines, partial } = terminalLines(raw);
  if (partial) lines.push(partial);
  return squeezeBlank(lines);
}

export function squeezeBlank(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l.trim() === "" && (out.length === 0 || out[out.length - 1]?.trim() === "")) continue;
    out.push(l);
  }
  while (out.length && out[out.length - 1]?.trim() === "") out.pop();
  return out;
}

/** Splits text into pieces of at most `limit` characters, at line breaks where possible. */
export function splitText(text: string, limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf("\n", limit);
    if (cut < limit / 2) cut = limit;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest.length || parts.length === 0) parts.push(rest);
  return parts;
}

export const truncate = (s: string, max: number) =>
  Array.from(s).length > max
    ? `${Array.from(s)
        .slice(0, max - 3)
        .join("")}...`
    : s;

export const shortId = (id: string) => id.slice(0, 8);
