import * as v from "valibot";
import type { FieldIssue } from "../errors";

const OBJECT_TYPES = new Set(["object", "strict_object", "loose_object", "object_with_rest", "record"]);
const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  bigint: "an integer",
  array: "an array",
  tuple: "an array",
  strict_tuple: "an array",
  loose_tuple: "an array",
};
for (const type of OBJECT_TYPES) EXPECTED[type] = "a JSON object";

const isPlainObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "boolean") return "true/false";
  return `a ${typeof value}`;
}

/**
 * Schemas give a type check one message, usually written for the missing case ("name is required"); valibot
 * reports a missing key, an unknown key and a value of the wrong type each in its own way. This says which
 * happened: "name is required", "name must be a string, not a number", "x is not a known field", and for an
 * array (or any non-object) where an object belongs, one issue on that value instead of one per key.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (issue: FieldIssue) => {
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? "";
    const name = (prefix: string) => (prefix ? `${prefix} ` : "");
    if (issue.kind === "schema" && OBJECT_TYPES.has(issue.type) && issue.path?.length) {
      const parent = issue.path[issue.path.length - 1]?.input;
      const parentPath = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
      // An array passes valibot's object check and then fails once per index and per missing key.
      if (!isPlainObject(parent)) {
        add({ path: parentPath, message: `${name(parentPath)}must be a JSON object, not ${kindOf(parent)}` });
        continue;
      }
      if (issue.expected === "never") {
        add({ path, message: `${path} is not a known field` });
        continue;
      }
      if (issue.received === "undefined" && issue.expected?.startsWith('"')) {
        add({ path, message: `${path} is required` });
        continue;
      }
    }
    const expected = issue.kind === "schema" ? EXPECTED[issue.type] : undefined;
    if (expected && issue.input !== undefined && /required|^Invalid type:/i.test(issue.message)) {
      add({ path, message: `${name(path)}must be ${expected}, not ${kindOf(issue.input)}` });
      continue;
    }
    add({ path, message: issue.message });
  }
  return out;
}
