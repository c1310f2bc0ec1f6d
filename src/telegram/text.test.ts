import { describe, expect, test } from "bun:test";
import { cleanOutput, htmlToPlain, splitText, terminalLines } from "./text";

describe("terminal output as chat text", () => {
  test("escape sequences go, carriage return overwrites, backspace and erase-line apply", () => {
    const raw =
      "\x1b[?2004h$ ls\r\n\x1b[31mred\x1b[0m\r\nprogress 10%\rprogress 100%\r\nabc\b\bX\r\nold text\r\x1b[Knew\r\n\x1b]0;title\x07tail";
    expect(terminalLines(raw)).toEqual({ lines: ["$ ls", "red", "progress 100%", "aXc", "new"], partial: "tail" });
  });

  test("box drawing becomes spaces and blank runs collapse", () => {
    expect(cleanOutput("╭────╮\r\n│ hi │\r\n╰────╯\r\n\r\n\r\n\r\nend\r\n")).toEqual(["  hi", "", "end"]);
  });

  test("long text splits at line breaks under the limit", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ${"x".repeat(50)}`).join("\n");
    const parts = splitText(text, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join("\n")).toBe(text);
    expect(splitText("y".repeat(2500), 1000).map((p) => p.length)).toEqual([1000, 1000, 500]);
  });

  test("HTML falls back to what it says", () => {
    expect(htmlToPlain("<b>a &lt;b&gt;</b> &amp; <code>c</code>")).toBe("a <b> & c");
  });
});
