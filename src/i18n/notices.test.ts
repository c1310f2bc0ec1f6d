import { expect, test } from "bun:test";
import { english } from ".";
import { accountLimitNotice } from "./notices";

const base = { from: "work", resetsAt: "2026-12-01T14:48:00Z", message: "You've hit your session limit" };

test("the phone is told where the session went and when the limited account comes back", () => {
  expect(accountLimitNotice(english, { ...base, to: "personal", suggested: null })).toBe(
    "moved from work to personal; work resets 14:48 UTC",
  );
});

test("with failover off the notice offers the free account or waiting", () => {
  expect(accountLimitNotice(english, { ...base, to: null, suggested: "personal" })).toBe(
    "work hit its usage limit; work resets 14:48 UTC. Switch to personal or wait.",
  );
  expect(accountLimitNotice(english, { ...base, to: null, suggested: null })).toBe(
    "work hit its usage limit; work resets 14:48 UTC. No other account is free: wait.",
  );
});

test("the reset reads in the zone Claude named it in", () => {
  expect(accountLimitNotice(english, { ...base, zone: "Europe/Berlin", to: "personal", suggested: null })).toBe(
    "moved from work to personal; work resets 15:48 Europe/Berlin",
  );
});
