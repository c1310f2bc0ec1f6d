import { expect, test } from "bun:test";
import { translator } from "../i18n";
import { payloadFor } from "./service";

test("a finished task's notification says its exit code and how long it ran", () => {
  const p = payloadFor({ kind: "exited", sessionId: "s", sessionName: "task: build", exitCode: 2, durationMs: 83_400 });
  expect(p.title).toBe("task: build exited with code 2 after 1 min 23 s");
  expect(payloadFor({ kind: "exited", sessionId: "s", sessionName: "x", exitCode: 0, durationMs: 4200 }).title).toBe(
    "x exited with code 0 after 4 s",
  );
  expect(payloadFor({ kind: "exited", sessionId: "s", sessionName: "x", exitCode: null }).title).toBe("x exited");
});

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

test("an agent's notify_user message is titled as what the session says, with the text as the body", () => {
  const p = payloadFor({ kind: "message", sessionId: "s", sessionName: "deploy", detail: "Build finished" });
  expect(p.title).toBe("deploy says");
  expect(p.body).toBe("Build finished");
  expect(p.actions).toBeUndefined();
});

test("in Chinese the notification's words are translated; the session's name, its question and answers are not", () => {
  const zh = translator("zh-CN");
  const p = payloadFor(
    {
      kind: "waiting",
      sessionId: "s1",
      sessionName: "refactor",
      detail: "Do you want to make this edit to app.ts?",
      prompt: { id: "p1", options: [{ key: "1", label: "Yes" }] },
    },
    zh,
  );
  expect(p.title).toBe("refactor 正在等你");
  expect(p.body).toBe("Do you want to make this edit to app.ts?");
  expect(p.actions).toEqual([{ action: "1", title: "Yes" }]);
  expect(
    payloadFor({ kind: "exited", sessionId: "s", sessionName: "x", exitCode: 0, durationMs: 4200 }, zh).title,
  ).toBe("x 运行 4 秒后退出，退出码 0");
  expect(payloadFor({ kind: "idle", sessionId: "s" }, zh).title).toBe("一个会话 已空闲");
});
