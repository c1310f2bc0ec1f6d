import { describe, expect, test } from "bun:test";
import { RingBuffer } from "./ring-buffer";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("session output buffer", () => {
  test("reading from any cursor returns exactly the bytes after it", () => {
    const ring = new RingBuffer(64);
    ring.append(bytes("hello "));
    ring.append(bytes("world"));
    expect(ring.end).toBe(11);
    expect(text(ring.read(6).bytes)).toBe("world");
    expect(text(ring.read().bytes)).toBe("hello world");
  });

  test("keeps only the newest bytes once full and reports truncation", () => {
    const ring = new RingBuffer(10);
    for (let i = 0; i < 7; i++) ring.append(bytes(`${i}abc`));
    expect(ring.end).toBe(28);
    expect(ring.start).toBe(18);
    const r = ring.read(5);
    expect(r.truncated).toBe(true);
    expect(r.from).toBe(18);
    expect(text(r.bytes)).toBe("bc5abc6abc");
  });

  test("an append larger than the limit keeps its tail", () => {
    const ring = new RingBuffer(4);
    ring.append(bytes("abcdefgh"));
    expect(text(ring.read().bytes)).toBe("efgh");
    expect(ring.start).toBe(4);
  });

  test("grows lazily and wraps correctly across growth", () => {
    const ring = new RingBuffer(100_000);
    let expected = "";
    for (let i = 0; i < 5000; i++) {
      const chunk = `line ${i}\n`;
      ring.append(bytes(chunk));
      expected += chunk;
    }
    expect(text(ring.read().bytes)).toBe(expected.slice(-100_000));
    expect(ring.end).toBe(expected.length);
  });
});

test("views are the held bytes from a cursor, split where the storage wraps", () => {
  const ring = new RingBuffer(8, 100);
  ring.append(new Uint8Array([1, 2, 3, 4, 5, 6]));
  ring.append(new Uint8Array([7, 8, 9, 10]));
  const all = ring.views();
  expect(all.from).toBe(102);
  expect(all.views.length).toBe(2);
  expect(all.views.flatMap((v) => [...v])).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  const tail = ring.views(107);
  expect(tail.from).toBe(107);
  expect(tail.views.flatMap((v) => [...v])).toEqual([8, 9, 10]);
  expect(ring.views(50).from).toBe(102);
  expect(ring.views(110).views.flatMap((v) => [...v])).toEqual([]);
});
