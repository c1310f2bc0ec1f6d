import { expect, test } from "bun:test";
import { findLimits, resetTime } from "./limits";

const now = new Date("2026-12-01T11:48:00Z");

test("Claude Code's session-limit banner names the account's reset time", () => {
  const screen =
    "❯ ask-kiwi\n  ⎿  You've hit your session limit · resets 2:48pm (UTC)\n     /upgrade to increase your usage limit.";
  const [hit, ...rest] = findLimits(screen, now);
  expect(rest).toEqual([]);
  expect(hit?.message).toBe("You've hit your session limit · resets 2:48pm (UTC)");
  expect(hit?.until.toISOString()).toBe("2026-12-01T14:48:00.000Z");
});

test("the older wordings are recognised too", () => {
  expect(
    findLimits("Claude usage limit reached. Your limit will reset at 10am (UTC).", now)[0]?.until.toISOString(),
  ).toBe("2026-12-02T10:00:00.000Z");
  expect(findLimits("Claude AI usage limit reached|1764600000", now)[0]?.until.getTime()).toBe(1764600000 * 1000);
});

test("an ordinary screen holds no limit", () => {
  expect(findLimits("● reply-apple\n? for shortcuts", now)).toEqual([]);
  expect(resetTime("12am", now)?.toISOString()).toBe("2026-12-02T00:00:00.000Z");
});
