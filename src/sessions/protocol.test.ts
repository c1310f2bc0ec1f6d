import { expect, test } from "bun:test";
import * as v from "valibot";
import { ClientFrame } from "./protocol";

const refusal = (frame: unknown) => {
  const r = v.safeParse(ClientFrame, frame);
  return r.success ? null : { path: v.getDotPath(r.issues[0]), message: r.issues[0].message };
};

test("WebSocket input and resize frames have the same limits as POST …/input and …/resize", () => {
  expect(refusal({ type: "input", data: "ls\r", id: "a1" })).toBeNull();
  expect(refusal({ type: "input", data: "x".repeat(256 * 1024 + 1) })).toEqual({
    path: "data",
    message: "at most 256 KiB",
  });
  expect(refusal({ type: "resize", cols: 80, rows: 24 })).toBeNull();
  expect(refusal({ type: "resize", cols: 5, rows: 24 })).toEqual({ path: "cols", message: "at least 10" });
  expect(refusal({ type: "resize", cols: 80, rows: 501 })).toEqual({ path: "rows", message: "at most 500" });
  expect(refusal({ type: "ping" })).toBeNull();
  expect(refusal({ type: "shout" })).not.toBeNull();
});
