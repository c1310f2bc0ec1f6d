import { expect, test } from "bun:test";
import { payloadFor } from "./service";

test("a waiting session's notification carries its question's first two answers as action buttons", () => {
  const p = payloadFor({
    kind: "waiting",
    sessionId: "s1",
    sessionName: "refactor",
    detail: "Do you want to make this edit to app.ts?",
    prompt: {
      id: "p1",
      options: [
        { key: "1", label: "Yes" },
        { key: "2", label: "Yes, and don't ask again" },
        { key: "3", label: "No" },
      ],
    },
  });
  expect(p.promptId).toBe("p1");
  expect(p.actions).toEqual([
    { action: "1", title: "Yes" },
    { action: "2", title: "Yes, and don't ask again" },
  ]);
  expect(payloadFor({ kind: "idle", sessionId: "s1" }).actions).toBeUndefined();
});
