import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { describeIssues } from "./issues";

const Body = v.strictObject({
  name: v.pipe(v.string("name is required"), v.minLength(1, "name is required")),
  count: v.optional(v.number()),
  cwd: v.optional(v.string("cwd must be a directory path")),
  inner: v.optional(v.strictObject({ x: v.string() })),
});
const issues = (input: unknown) => {
  const r = v.safeParse(Body, input);
  return r.success ? [] : describeIssues(r.issues);
};

describe("validation messages say what is wrong with a field", () => {
  test("a value of the wrong type names the type expected; a missing one says it is required", () => {
    expect(issues({ name: 42 })).toEqual([{ path: "name", message: "name must be a string, not a number" }]);
    expect(issues({ name: null })).toEqual([{ path: "name", message: "name must be a string, not null" }]);
    expect(issues({ name: "a", count: "3" })).toEqual([
      { path: "count", message: "count must be a number, not a string" },
    ]);
    expect(issues({})).toEqual([{ path: "name", message: "name is required" }]);
    expect(issues({ name: "" })).toEqual([{ path: "name", message: "name is required" }]);
  });

  test("a schema's own message that says what it wants is kept", () => {
    expect(issues({ name: "a", cwd: 3 })).toEqual([{ path: "cwd", message: "cwd must be a directory path" }]);
  });

  test("an unknown field is named as such", () => {
    expect(issues({ name: "a", nmae: "b" })).toEqual([{ path: "nmae", message: "nmae is not a known field" }]);
  });

  test("an array or a scalar where an object belongs is one issue on that value", () => {
    expect(issues([1, 2])).toEqual([{ path: "", message: "must be a JSON object, not an array" }]);
    expect(issues(42)).toEqual([{ path: "", message: "must be a JSON object, not a number" }]);
    expect(issues(null)).toEqual([{ path: "", message: "must be a JSON object, not null" }]);
    expect(issues({ name: "a", inner: ["x"] })).toEqual([
      { path: "inner", message: "inner must be a JSON object, not an array" },
    ]);
  });
});
