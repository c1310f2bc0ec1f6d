import { expect, test } from "bun:test";
import { AppError } from "../errors";
import { InputHold } from "./input-hold";

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
