import { expect, test } from "bun:test";
import { pickAccount } from "./launch";
import type { AccountView } from "./model";

const account = (name: string, over: Partial<AccountView> = {}): AccountView => ({
  id: name,
  name,
  displayName: name,
  kind: "token",
  enabled: true,
  tokenFilled: true,
  email: null,
  plan: null,
  position: 0,
  limitedUntil: null,
  lastUsedAt: null,
  createdAt: "2026-12-01T00:00:00Z",
  ...over,
});

const accounts = [
  account("work", { lastUsedAt: "2026-12-01T10:00:00Z" }),
  account("personal", { lastUsedAt: "2026-12-01T09:00:00Z" }),
  account("spare", { lastUsedAt: "2026-12-01T11:00:00Z" }),
];

test("a new Claude session gets the account the policy names", () => {
  expect(pickAccount(accounts, "ordered")?.name).toBe("work");
  expect(pickAccount(accounts, "least_recent")?.name).toBe("personal");
  expect(pickAccount(accounts, "sticky")?.name).toBe("spare");
});

test("disabled, tokenless and limited accounts are never picked; none left means the host's own login", () => {
  const blocked = [
    account("off", { enabled: false }),
    account("empty", { tokenFilled: false }),
    account("limited", { limitedUntil: "2026-12-01T14:48:00Z" }),
  ];
  expect(pickAccount(blocked, "ordered")).toBeNull();
  expect(pickAccount([...blocked, account("ok")], "least_recent")?.name).toBe("ok");
  expect(pickAccount(accounts, "ordered", "work")?.name).toBe("personal");
});
