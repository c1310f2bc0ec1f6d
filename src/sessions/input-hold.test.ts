import { expect, test } from "bun:test";
import { AppError } from "../errors";
import { drainHold, HOLD_MAX_GAP_MS, InputHold } from "./input-hold";

const text = (d: string | Uint8Array | undefined) => (typeof d === "string" ? d : new TextDecoder().decode(d));

test("held input comes back in the order it was typed, keystrokes and sent lines alike", () => {
  const hold = new InputHold();
  hold.add(new TextEncoder().encode("ask"));
  hold.add("-grape", "line-1");
  hold.add("\r", "line-1:enter");
  const out: string[] = [];
  for (let next = hold.take(); next; next = hold.take()) out.push(text(next.data));
  expect(out).toEqual(["ask", "-grape", "\r"]);
  expect(hold.heldBytes).toBe(0);
});

test("a retried line (same id) is held once and reported as a duplicate", () => {
  const hold = new InputHold();
  expect(hold.add("hello", "tg:1")).toEqual({ applied: true });
  expect(hold.add("hello", "tg:1")).toEqual({ applied: false });
  expect(text(hold.take()?.data)).toBe("hello");
  expect(hold.take()).toBeUndefined();
});

test("a full hold refuses more with a 409 saying why, and keeps what it had", () => {
  const hold = new InputHold(8);
  hold.add("12345");
  let refused: unknown;
  try {
    hold.add("6789");
  } catch (e) {
    refused = e;
  }
  expect(refused).toBeInstanceOf(AppError);
  expect((refused as AppError).status).toBe(409);
  expect((refused as AppError).message).toContain("try again");
  expect(hold.dropped).toBe(4);
  // multi-byte text counts in bytes
  expect(() => hold.add("äöü")).toThrow();
  expect(hold.add("abc")).toEqual({ applied: true });
  expect(hold.heldBytes).toBe(8);
});

test("released, the held input goes out in order with the user's pauses, and input typed meanwhile follows", async () => {
  const hold = new InputHold();
  hold.add("ask-grape", "l1");
  await Bun.sleep(120);
  hold.add("\r", "l1:enter");
  const out: { text: string; at: number }[] = [];
  const start = Date.now();
  await drainHold("s", hold, {
    running: () => true,
    deliver: async (h) => {
      out.push({ text: text(h.data), at: Date.now() - start });
      // typed while the hold drains: queued behind, not ahead
      if (out.length === 1) hold.add("later");
    },
  });
  expect(out.map((o) => o.text)).toEqual(["ask-grape", "\r", "later"]);
  // the pause between the text and its Enter is kept (a TUI reads them arriving together as a paste)
  expect((out[1]?.at ?? 0) - (out[0]?.at ?? 0)).toBeGreaterThanOrEqual(100);
});

test("a long pause is shortened, and a failed write does not lose the input after it", async () => {
  const hold = new InputHold();
  hold.add("a");
  await Bun.sleep(HOLD_MAX_GAP_MS + 400);
  hold.add("b");
  hold.add("c");
  const got: string[] = [];
  const start = Date.now();
  await drainHold("s", hold, {
    running: () => true,
    deliver: async (h) => {
      if (text(h.data) === "b") throw new Error("host went away for a moment");
      got.push(text(h.data));
    },
  });
  expect(got).toEqual(["a", "c"]);
  // the user paused HOLD_MAX_GAP_MS + 400 ms; replayed, the pause is at most HOLD_MAX_GAP_MS
  expect(Date.now() - start).toBeLessThan(HOLD_MAX_GAP_MS + 300);
});

test("when the session has ended, the held input is dropped, not kept for a later start", async () => {
  const hold = new InputHold();
  hold.add("one");
  hold.add("two");
  let running = true;
  const got: string[] = [];
  await drainHold("s", hold, {
    running: () => running,
    deliver: async (h) => {
      got.push(text(h.data));
      running = false;
    },
  });
  expect(got).toEqual(["one"]);
  expect(hold.take()).toBeUndefined();
});
