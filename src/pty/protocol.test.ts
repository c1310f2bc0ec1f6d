import { expect, test } from "bun:test";
import { FrameDecoder, FrameKind, inputFrame, jsonFrame, outputFrame } from "./protocol";

test("frames survive being split at every byte boundary", () => {
  const stream = new Uint8Array([
    ...jsonFrame({ op: "hello", n: 1 }),
    ...outputFrame("abc", 12345, new Uint8Array([1, 2, 3])),
    ...inputFrame("abc", new TextEncoder().encode("ls\r")),
  ]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
    expect(frames.map((f) => f.kind)).toEqual([FrameKind.Json, FrameKind.Output, FrameKind.Input]);
    const out = frames[1] as Extract<(typeof frames)[number], { kind: FrameKind.Output }>;
    expect(out.cursor).toBe(12345);
    expect([...out.bytes]).toEqual([1, 2, 3]);
  }
});
