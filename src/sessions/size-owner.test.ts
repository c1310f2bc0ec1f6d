import { expect, test } from "bun:test";
import { type SizeClient, SizeOwners } from "./size-owner";

const client = () => {
  const told: { cols: number; rows: number; owner: boolean }[] = [];
  const c: SizeClient & { told: typeof told } = { told, tell: (s) => told.push(s) };
  return c;
};

test("the device that typed last owns the size; the others are told the PTY's real size", async () => {
  const applied: string[] = [];
  const owners = new SizeOwners(async (_id, cols, rows) => void applied.push(`${cols}x${rows}`));
  const phone = client();
  const desk = client();
  owners.join("s", phone, { cols: 80, rows: 24 });
  await owners.wish("s", phone, { cols: 45, rows: 40 });
  expect(applied).toEqual(["45x40"]);
  expect(phone.told.at(-1)).toEqual({ cols: 45, rows: 40, owner: true });

  // The desktop attaches and says what it would fit: nothing changes for the phone.
  owners.join("s", desk, { cols: 80, rows: 24 });
  await owners.wish("s", desk, { cols: 160, rows: 45 });
  expect(applied).toEqual(["45x40"]);
  expect(desk.told.at(-1)).toEqual({ cols: 45, rows: 40, owner: false });

  // It types: the PTY follows it, and the phone hears it lost the size.
  await owners.active("s", desk);
  expect(applied).toEqual(["45x40", "160x45"]);
  expect(phone.told.at(-1)).toEqual({ cols: 160, rows: 45, owner: false });
  expect(desk.told.at(-1)).toEqual({ cols: 160, rows: 45, owner: true });

  // A resize from the phone is only a wish now, until it asks to fit.
  await owners.wish("s", phone, { cols: 44, rows: 38 });
  expect(applied).toHaveLength(2);
  await owners.wish("s", phone, { cols: 44, rows: 38 }, true);
  expect(applied.at(-1)).toBe("44x38");
  expect(desk.told.at(-1)).toEqual({ cols: 44, rows: 38, owner: false });

  // The owner leaves: the next device to say its size takes it.
  owners.leave("s", phone);
  await owners.wish("s", desk, { cols: 150, rows: 40 });
  expect(applied.at(-1)).toBe("150x40");
});
