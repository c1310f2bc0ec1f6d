import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors";
import { configConnections, pgSettings, projectConnection } from "./connections";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test("the flat fields are the connection named default; the list adds named ones with passwords from env", () => {
  process.env.OD_UNIT_PG_PW = "from-env";
  const list = configConnections({
    host: "db.internal",
    port: "6543",
    database: "app",
    user: "reader",
    passwordEnv: "OD_UNIT_PG_PW",
    sslmode: "verify-full",
    connections: JSON.stringify([{ name: "staging", host: "/run/postgresql", passwordEnv: "OD_UNIT_PG_PW" }]),
  });
  expect(list.map((c) => [c.name, c.host, c.port, c.database, c.user, c.password, c.sslmode])).toEqual([
    ["default", "db.internal", 6543, "app", "reader", "from-env", "verify-full"],
    ["staging", "/run/postgresql", 5432, "postgres", "postgres", "from-env", "disable"],
  ]);
  expect(configConnections({ password: "sealed", passwordEnv: "OD_UNIT_PG_PW" })[0]?.password).toBe("sealed");
});

test("a broken connections list or setting is a 400 that names what is wrong", () => {
  expect(() => configConnections({ connections: "[{" })).toThrow(/not valid JSON/);
  try {
    configConnections({ connections: JSON.stringify([{ name: "x", password: "inline" }]) });
    throw new Error("accepted");
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).issues?.[0]?.path).toBe("connections.0.password");
  }
  expect(() => configConnections({ connections: JSON.stringify([{ name: "default" }]) })).toThrow(/twice/);
  expect(() => pgSettings({ maxRows: "lots" })).toThrow(/maxRows/);
  expect(pgSettings({})).toEqual({ readOnly: true, statementTimeoutMs: 30_000, maxRows: 1000, projectEnv: false });
});

test("DATABASE_URL in a project's .env becomes the connection named project", () => {
  const dir = mkdtempSync(join(tmpdir(), "od-pg-env-"));
  dirs.push(dir);
  expect(projectConnection(dir)).toBeNull();
  writeFileSync(
    join(dir, ".env"),
    "OTHER=1\nexport DATABASE_URL='postgresql://app%40x:p%2Fw@db:5433/shop?sslmode=require'\n",
  );
  expect(projectConnection(dir)).toEqual({
    name: "project",
    host: "db",
    port: 5433,
    database: "shop",
    user: "app@x",
    password: "p/w",
    sslmode: "require",
    source: "project",
  });
  writeFileSync(join(dir, ".env"), "DATABASE_URL=mysql://x@y/z\n");
  expect(() => projectConnection(dir)).toThrow(/postgres:\/\//);
});
