import { expect, test } from "bun:test";
import * as v from "valibot";
import { CreateSessionBody } from "./model";

test("extraArgs given as a command line is split into words as a shell would, nothing expanded", () => {
  const parsed = v.parse(CreateSessionBody, { cwd: "/tmp", extraArgs: `--append-system-prompt "be brief, $HOME"` });
  expect(parsed.extraArgs).toEqual(["--append-system-prompt", "be brief, $HOME"]);
});

test("an unterminated quote in extraArgs is refused, naming the field", () => {
  const result = v.safeParse(CreateSessionBody, { cwd: "/tmp", extraArgs: `--x "open` });
  expect(result.success).toBe(false);
  const issue = result.issues?.[0];
  expect(issue && { path: v.getDotPath(issue), message: issue.message }).toEqual({
    path: "extraArgs",
    message: "extraArgs: unterminated double quote",
  });
});
