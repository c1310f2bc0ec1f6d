import { expect, test } from "bun:test";
import { FramePacer } from "./pacing";

test("8 fps while in use, 1 fps once idle, none while hidden; a touch or showing the page wakes it", async () => {
  const pacer = new FramePacer({ activeFps: 8, idleFps: 1, idleAfterMs: 5000 });
  const now = Date.now();
  expect(pacer.interval(now)).toBe(125);
  expect(pacer.interval(now + 5001)).toBe(1000);
  pacer.setVisible(false);
  expect(pacer.interval(now)).toBeNull();
  const started = Date.now();
  const waiting = pacer.wait(null);
  setTimeout(() => pacer.setVisible(true), 50);
  await waiting;
  expect(Date.now() - started).toBeLessThan(500);
  expect(pacer.interval()).toBe(125);
  const long = pacer.wait(10_000);
  setTimeout(() => pacer.activity(), 20);
  await long;
  expect(Date.now() - started).toBeLessThan(1000);
  pacer.stop();
  expect(pacer.done).toBe(true);
});
