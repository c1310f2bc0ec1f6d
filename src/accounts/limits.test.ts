import { expect, test } from "bun:test";
import { clockIn, findLimits, resetTime } from "./limits";

const now = new Date("2026-12-01T11:48:00Z");

test("Claude Code's session-limit banner names the account's reset time", () => {
  const screen =
    "❯ ask-kiwi\n  ⎿  You've hit your session limit · resets 2:48pm (UTC)\n     /upgrade to increase your usage limit.";
  const [hit, ...rest] = findLimits(screen, now);
  expect(rest).toEqual([]);
  expect(hit?.message).toBe("You've hit your session limit · resets 2:48pm (UTC)");
  expect(hit?.until.toISOString()).toBe("2026-12-01T14:48:00.000Z");
  expect(hit?.zone).toBe("UTC");
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

test("a reset in the user's own zone is read in that zone", () => {
  // 11:48 UTC is 12:48 in Berlin (CET, +1), 06:48 in New York (EST, -5), 20:48 in Tokyo (+9)
  const berlin = findLimits("You've hit your session limit · resets 10pm (Europe/Berlin)", now)[0];
  expect(berlin?.until.toISOString()).toBe("2026-12-01T21:00:00.000Z");
  expect(berlin?.zone).toBe("Europe/Berlin");
  expect(resetTime("9:30am (America/New_York)", now)?.toISOString()).toBe("2026-12-01T14:30:00.000Z");
  // 8pm has passed in Tokyo (20:48): the next one is tomorrow's
  expect(resetTime("8pm (Asia/Tokyo)", now)?.toISOString()).toBe("2026-12-02T11:00:00.000Z");
  expect(resetTime("6:15pm (Asia/Kolkata)", now)?.toISOString()).toBe("2026-12-01T12:45:00.000Z");
  expect(resetTime("1am (Pacific/Auckland)", now)?.toISOString()).toBe("2026-12-01T12:00:00.000Z");
});

test("a reset across a daylight-saving change uses the offset of the reset's own day", () => {
  // Europe/Berlin moves to summer time on 2026-03-29 at 02:00: 9am that day is 07:00 UTC, not 08:00
  const beforeSpring = new Date("2026-03-28T22:00:00Z");
  expect(resetTime("9am (Europe/Berlin)", beforeSpring)?.toISOString()).toBe("2026-03-29T07:00:00.000Z");
  // the hour the clocks skip reads as the time after the change
  expect(resetTime("2:30am (Europe/Berlin)", beforeSpring)?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
  // New York falls back on 2026-11-01 at 02:00: 1:30am happens twice, the first is meant
  const beforeFall = new Date("2026-11-01T03:00:00Z");
  expect(resetTime("1:30am (America/New_York)", beforeFall)?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
  expect(resetTime("3pm (America/New_York)", beforeFall)?.toISOString()).toBe("2026-11-01T20:00:00.000Z");
});

test("a reset more than a day away carries its date (and the year when it differs)", () => {
  const weekly = findLimits("You've hit your weekly limit · resets Dec 3, 2pm (Europe/Berlin)", now)[0];
  expect(weekly?.until.toISOString()).toBe("2026-12-03T13:00:00.000Z");
  expect(findLimits("You've hit your Opus limit · resets Jan 2, 2027, 9:30am (UTC)", now)[0]?.until.toISOString()).toBe(
    "2027-01-02T09:30:00.000Z",
  );
  // a date without a year that has passed is next year's
  expect(resetTime("Jan 2, 9am (UTC)", now)?.toISOString()).toBe("2027-01-02T09:00:00.000Z");
});

test("a zone the runtime does not know reads as UTC rather than failing", () => {
  const hit = findLimits("You've hit your session limit · resets 3pm (Mars/Olympus)", now)[0];
  expect(hit?.until.toISOString()).toBe("2026-12-01T15:00:00.000Z");
  expect(hit?.zone).toBe("UTC");
});

test("the phone reads the reset on the user's own clock", () => {
  expect(clockIn(new Date("2026-12-01T21:00:00Z"), "Europe/Berlin")).toBe("22:00 Europe/Berlin");
  expect(clockIn(new Date("2026-07-01T21:00:00Z"), "Europe/Berlin")).toBe("23:00 Europe/Berlin");
  expect(clockIn(new Date("2026-12-01T14:48:00Z"), "UTC")).toBe("14:48 UTC");
});
