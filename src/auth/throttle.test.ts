import { describe, expect, test } from "bun:test";
import { AppError } from "../errors";
import { LoginThrottle } from "./throttle";

describe("login back-off", () => {
  test("five failures are free, then the wait doubles from 1 s and caps at 15 min", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    const keys = ["ip:1.2.3.4"];
    for (let i = 0; i < 4; i++) t.fail(keys);
    expect(t.retryAfter(keys)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      t.fail(keys);
      waits.push(t.retryAfter(keys));
      now += t.retryAfter(keys) * 1000;
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(waits.at(-1)).toBe(900);
  });

  test("a refusal is a 429 carrying Retry-After seconds; a success clears the key", () => {
    const t = new LoginThrottle(() => 0);
    const keys = ["ip:a", "user:admin"];
    for (let i = 0; i < 6; i++) t.fail(keys);
    let thrown: unknown;
    try {
      t.check(["user:admin"]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(429);
    expect((thrown as AppError).extra?.retryAfter).toBe(2);
    t.succeed(keys);
    expect(() => t.check(keys)).not.toThrow();
  });

  test("an hour without failures starts over", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) t.fail(["k"]);
    now += 61 * 60_000;
    expect(t.fail(["k"])).toBe(1);
  });
});
