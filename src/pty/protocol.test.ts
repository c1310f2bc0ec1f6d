import { expect, test } from "bun:test";
import { type Frame, FrameDecoder, FrameKind, inputFrame, jsonFrame, outputFrame, outputHeader } from "./protocol";

type OutputFrame = Extract<Frame, { kind: FrameKind.Output }>;

test("frames survive being split at every byte boundary; output arrives in order, as contiguous pieces", () => {
  const stream = new Uint8Array([
    ...jsonFrame({ op: "hello", n: 1 }),
    ...outputFrame("abc", 12345, new Uint8Array([1, 2, 3])),
    ...inputFrame("abc", new TextEncoder().encode("ls\r")),
  ]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const decoder = new FrameDecoder();
    const frames: Frame[] = [];
    // pieces are views valid only until the decoder resumes, so copy them as a consumer must
    for (const part of [stream.subarray(0, cut), stream.subarray(cut)]) {
      for (const f of decoder.push(part.slice()))
        frames.push(f.kind === FrameKind.Output ? { ...f, bytes: f.bytes.slice() } : f);
    }
    const kinds = frames
      .map((f) => f.kind)
      .filter((k, i, all) => k !== FrameKind.Output || all[i - 1] !== FrameKind.Output);
    expect(kinds).toEqual([FrameKind.Json, FrameKind.Output, FrameKind.Input]);
    const pieces = frames.filter((f): f is OutputFrame => f.kind === FrameKind.Output);
    let cursor = 12345;
    for (const p of pieces) {
      expect(p.id).toBe("abc");
      expect(p.cursor).toBe(cursor);
      cursor += p.bytes.length;
    }
    expect(pieces.flatMap((p) => [...p.bytes])).toEqual([1, 2, 3]);
    const input = frames.at(-1) as Extract<Frame, { kind: FrameKind.Input }>;
    expect(new TextDecoder().decode(input.bytes)).toBe("ls\r");
  }
});

test("a large output frame is passed on chunk by chunk without waiting for its end", () => {
  const body = new Uint8Array(100_000).map((_, i) => i % 251);
  const frame = outputFrame("s1", 7, body);
  const decoder = new FrameDecoder();
  const first = [...decoder.push(frame.subarray(0, 40_000))] as OutputFrame[];
  expect(first.length).toBe(1);
  expect(first[0]?.cursor).toBe(7);
  expect(first[0]?.bytes.length).toBe(40_000 - (frame.length - body.length));
  const rest = [...decoder.push(frame.subarray(40_000))] as OutputFrame[];
  expect(rest[0]?.cursor).toBe(7 + (first[0]?.bytes.length ?? 0));
  expect([...(first[0]?.bytes ?? []), ...(rest[0]?.bytes ?? [])]).toEqual([...body]);
});

test("output written as a header and then the ring's pieces reads exactly as one frame", () => {
  const pieces = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
  const header = outputHeader("s1", 40, 5);
  const split = new Uint8Array([...header, ...pieces[0]!, ...pieces[1]!]);
  expect([...split]).toEqual([...outputFrame("s1", 40, pieces)]);
  const got = [...new FrameDecoder().push(split)] as OutputFrame[];
  expect(got.map((f) => [f.id, f.cursor, [...f.bytes]])).toEqual([["s1", 40, [1, 2, 3, 4, 5]]]);
});
