import { expect, test } from "bun:test";
import { AppError } from "../errors";
import { deniedCalls, firstVerb, planStrings, precheckReadOnly } from "./guard";

test("the friendly check sees the verb past comments, nested comments and parentheses", () => {
  expect(firstVerb("-- note\n/* a /* nested */ comment */ (SELECT 1)")).toBe("SELECT");
  expect(firstVerb("  delete from t")).toBe("DELETE");
  expect(() => precheckReadOnly("/* harmless? */ DROP TABLE t")).toThrow(/DROP is not allowed/);
  expect(() => precheckReadOnly("WITH x AS (SELECT 1) SELECT * FROM x")).not.toThrow();
  const refusal = (() => {
    try {
      precheckReadOnly("commit");
    } catch (e) {
      return e as AppError;
    }
  })();
  expect(refusal?.status).toBe(403);
});

test("denied functions are found anywhere in a plan, schema-qualified or quoted", () => {
  const plan = [
    {
      Plan: {
        Output: ["pg_catalog.set_config('role'::text, 'x'::text, true)"],
        Plans: [{ Filter: '("PG_TERMINATE_BACKEND"(pid) AND true)', "Function Call": "pg_ls_dir('.'::text)" }],
      },
    },
  ];
  expect(deniedCalls(planStrings(plan).join("\n")).sort()).toEqual(["pg_ls_dir", "pg_terminate_backend", "set_config"]);
  expect(deniedCalls("count(*), lower(name), current_setting('x'::text), pg_sleep('1'::double precision)")).toEqual([]);
  expect(deniedCalls("dblink_open('c', 'select 1')")).toEqual(["dblink_open"]);
});
