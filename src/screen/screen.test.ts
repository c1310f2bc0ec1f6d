import { afterAll, describe, expect, test } from "bun:test";
import { Terminal } from "@xterm/headless";
import { ScreenEngine, ScreenHost, ScreenModel } from "./index";

const enc = new TextEncoder();
const host = new ScreenHost();
afterAll(() => host.terminate());

function feed(screen: ScreenModel, text: string, start = 0) {
  const bytes = enc.encode(text);
  screen.write(bytes, start + bytes.length);
  return start + bytes.length;
}

describe("screen model", () => {
  test("shows the rendered screen with cursor and the byte cursor it reflects", async () => {
    const screen = new ScreenModel(40, 5, 100, { host });
    const end = feed(screen, "hello\r\n\x1b[31mred\x1b[0m world\x1b[2;1Hoverwritten");
    const snap = await screen.snapshot({ settled: true });
    expect(snap.lines).toEqual(["hello", "overwritten", "", "", ""]);
    expect(snap.cursor).toEqual({ x: 11, y: 1 });
    expect(snap.byteCursor).toBe(end);
    expect(screen.parsedCursorNow).toBe(end);
    screen.dispose();
  });

  test("serialized screen reproduces colours and text in a fresh terminal", async () => {
    const screen = new ScreenModel(40, 5, 100, { host });
    let at = 0;
    for (let i = 0; i < 20; i++) at = feed(screen, `line ${i} \x1b[1;32mok\x1b[0m\r\n`, at);
    const { data, byteCursor } = await screen.serialize({ scrollbackLines: 3, settled: true });
    expect(byteCursor).toBe(at);
    expect(data).toContain("\x1b[");
    const fresh = new Terminal({ cols: 40, rows: 5, allowProposedApi: true });
    await new Promise<void>((r) => fresh.write(data, r));
    const buf = fresh.buffer.active;
    const text = Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true));
    expect(text.slice(0, 3)).toEqual(["line 13 ok", "line 14 ok", "line 15 ok"]);
    const snap = await screen.snapshot();
    expect(snap.lines).toEqual(["line 15 ok", "line 16 ok", "line 17 ok", "line 18 ok", "line 19 ok", ""].slice(1));
    expect(text.slice(3, 8)).toEqual(snap.lines);
    expect(fresh.buffer.active.cursorY).toBe(snap.cursor.y);
    screen.dispose();
  });

  test("search finds lines in scrollback and on screen with their position", async () => {
    const screen = new ScreenModel(60, 5, 500, { host });
    let at = 0;
    for (let i = 0; i < 100; i++)
      at = feed(screen, i % 25 === 7 ? `ERROR: step ${i} failed\r\n` : `step ${i} ok\r\n`, at);
    await screen.settled();
    const hits = await screen.search("error");
    expect(hits.map((h) => h.text)).toEqual([
      "ERROR: step 7 failed",
      "ERROR: step 32 failed",
      "ERROR: step 57 failed",
      "ERROR: step 82 failed",
    ]);
    expect(hits.map((h) => h.line)).toEqual([7, 32, 57, 82]);
    expect(await screen.search("error", 2)).toHaveLength(2);
    screen.dispose();
  });

  test("the caller's buffer stays intact: a Node Buffer view is copied, not handed to the worker", async () => {
    const screen = new ScreenModel(40, 5, 100, { host });
    const whole = Buffer.from("prefix:hello from a pooled buffer\r\n");
    const view = whole.subarray(7);
    screen.write(view, view.length);
    const snap = await screen.snapshot({ settled: true });
    expect(snap.lines[0]).toBe("hello from a pooled buffer");
    expect(whole.toString()).toBe("prefix:hello from a pooled buffer\r\n");
    expect(view.byteLength).toBe(whole.length - 7);
    screen.dispose();
  });

  test("emoji and CJK take two cells, so a wrapped line breaks where the PTY's program broke it", async () => {
    const screen = new ScreenModel(10, 3, 100, { host });
    feed(screen, "😀中x\r\n1234中文字中");
    const snap = await screen.snapshot({ settled: true });
    expect(snap.lines[0]).toBe("😀中x");
    // 4 narrow + 3 wide cells fill 10 columns; the fourth wide character wraps to the next row.
    expect(snap.lines.slice(1, 3)).toEqual(["1234中文字", "中"]);
    expect(snap.cursor).toEqual({ x: 2, y: 2 });
    screen.dispose();
  });

  test("resize changes the screen size", async () => {
    const screen = new ScreenModel(40, 5, 100, { host });
    screen.resize(100, 10);
    feed(screen, "x".repeat(90));
    const snap = await screen.snapshot({ settled: true });
    expect([snap.cols, snap.rows, snap.lines.length, snap.lines[0]?.length]).toEqual([100, 10, 10, 90]);
    screen.dispose();
  });

  test("reading from the ring buffer: a 64 MB flood ends on the right screen without the model copying it", async () => {
    // A ring that holds the newest ~256 KB.
    let held = new Uint8Array(0);
    let heldStart = 0;
    let end = 0;
    const read = (from: number, max: number) => {
      const f = Math.max(from, heldStart);
      return { from: f, bytes: held.slice(f - heldStart, Math.min(end, f + max) - heldStart) };
    };
    const screen = new ScreenModel(80, 5, 100, { host, read });
    const append = (bytes: Uint8Array) => {
      const keep = held.subarray(Math.max(0, held.length + bytes.length - 256 * 1024));
      const next = new Uint8Array(keep.length + bytes.length);
      next.set(keep);
      next.set(bytes, keep.length);
      held = next;
      end += bytes.length;
      heldStart = end - next.length;
      screen.write(bytes, end);
    };
    const chunk = enc.encode("filler line of output that scrolls away\r\n".repeat(1600));
    for (let i = 0; i < 1000; i++) append(chunk);
    append(enc.encode("the final line\r\n"));
    const snap = await screen.snapshot({ settled: true });
    expect(snap.byteCursor).toBe(end);
    expect(snap.skippedBytes).toBeGreaterThan(60 * 1024 * 1024);
    expect(snap.lines.slice(3)).toEqual(["the final line", ""]);
    expect(snap.lines[2]).toBe("filler line of output that scrolls away");
    screen.dispose();
  });

  test("a flood the emulator cannot keep up with keeps the newest output and bounded memory", async () => {
    const engine = new ScreenEngine({ cols: 80, rows: 5, maxBacklog: 1 << 20, keepOnOverflow: 64 << 10 });
    const chunk = enc.encode("filler line of output that scrolls away\r\n".repeat(1000));
    let at = 0;
    for (let i = 0; i < 200; i++) {
      at += chunk.length;
      engine.write(chunk, at);
      expect(engine.backlog).toBeLessThanOrEqual((1 << 20) + chunk.length);
    }
    const last = enc.encode("the final line\r\n");
    engine.write(last, at + last.length);
    await engine.settled();
    const snap = engine.snapshot();
    expect(snap.byteCursor).toBe(at + last.length);
    expect(snap.skippedBytes).toBeGreaterThan(0);
    expect(snap.lines[3]).toBe("the final line");
    engine.dispose();
  });
});
