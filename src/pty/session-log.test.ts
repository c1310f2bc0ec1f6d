import { expect, spyOn, test } from "bun:test";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { log } from "../log";
import { OutputLog } from "../sessions/output-log";
import { listSegments, SessionLog } from "./session-log";

const freshDir = () => join(mkdtempSync(join(tmpdir(), "od-log-")), "session");
const piece = (i: number, size: number) => new Uint8Array(size).fill(i % 251);

test("a session's log keeps the newest output within its cap, dropping the oldest segments first", () => {
  const dir = freshDir();
  const cap = 512 * 1024;
  const writer = new SessionLog(dir, cap, 1000);
  let cursor = 1000;
  for (let i = 0; i < 200; i++) {
    writer.append(cursor, [piece(i, 7000), piece(i + 1, 3000)]);
    cursor += 10_000;
  }
  const segments = listSegments(dir);
  const held = segments.reduce((n, s) => n + s.end - s.start, 0);
  expect(held).toBeLessThanOrEqual(cap);
  expect(held).toBeGreaterThan(cap / 2);
  expect(segments.at(-1)?.end).toBe(cursor);
  expect(segments[0]?.start).toBeGreaterThan(1000);
  // what is held reads back byte for byte, from any cursor
  const reader = new OutputLog(dir);
  const at = cursor - 95_000; // in piece 190, 5000 bytes into it
  const got = reader.read(at, 4000);
  expect(got?.from).toBe(at);
  expect([...(got?.bytes ?? [])]).toEqual([...piece(190, 2000), ...piece(191, 2000)]);
  // a cursor whose bytes were dropped reads from the oldest byte held
  expect(reader.read(1000, 10)?.from).toBe(segments[0]?.start as number);
  writer.close();
});

test("a restarted session continues its log where its output ended", () => {
  const dir = freshDir();
  const first = new SessionLog(dir, 1024 * 1024, 0);
  first.append(0, [new TextEncoder().encode("first run\r\n")]);
  first.close();
  const second = new SessionLog(dir, 1024 * 1024, 11);
  second.append(11, [new TextEncoder().encode("second run\r\n")]);
  second.close();
  const all = new OutputLog(dir).read(0, 1000);
  expect(new TextDecoder().decode(all?.bytes)).toBe("first run\r\nsecond run\r\n");
});

test("a full disk is reported as a warning and the session keeps running", () => {
  const dir = freshDir();
  const writer = new SessionLog(dir, 1024 * 1024, 0, "s1");
  symlinkSync("/dev/full", join(dir, "0000000000000000.log"));
  const warn = spyOn(log, "warn").mockImplementation(() => {});
  expect(() => writer.append(0, [new Uint8Array(4096)])).not.toThrow();
  expect(() => writer.append(4096, [new Uint8Array(4096)])).not.toThrow();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]?.[1]?.error)).toContain("ENOSPC");
  warn.mockRestore();
  expect(writer.end).toBe(8192);
});
