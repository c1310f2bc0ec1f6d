import { expect, test } from "bun:test";
import { payloadFor } from "./service";

test("a finished task's notification says its exit code and how long it ran", () => {
  const p = payloadFor({ kind: "exited", sessionId: "s", sessionName: "task: build", exitCode: 2, durationMs: 83_400 });
  expect(p.title).toBe("task: build exited with code 2 after 1 min 23 s");
  expect(payloadFor({ kind: "exited", sessionId: "s", sessionName: "x", exitCode: 0, durationMs: 4200 }).title).toBe(
    "x exited with code 0 after 4 s",
  );
  expect(payloadFor({ kind: "exited", sessionId: "s", sessionName: "x", exitCode: null }).title).toBe("x exited");
});
