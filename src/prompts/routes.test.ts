import { afterAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { errorResponse } from "../http";
import { ScreenHost, ScreenModel } from "../screen/index";
import { builtinPromptRules } from "./builtin-rules";
import { createPromptRoutes, localSessionScreens } from "./routes";
import { type Prompt, PromptTracker } from "./tracker";

const host = new ScreenHost();
const screen = new ScreenModel(80, 10, 200, { host });
const sent: string[] = [];
const tracker = new PromptTracker({
  sessionId: "s1",
  agent: "shell",
  rules: builtinPromptRules.shell,
  screen,
  write: (k) => sent.push(k),
  answerGuardMs: 0,
});
afterAll(() => {
  tracker.dispose();
  host.terminate();
});
let at = 0;
const print = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  at += bytes.length;
  screen.write(bytes, at);
};
// Only verify() is used by the routes' auth guard.
const auth = { verify: (token: string) => (token === "good" ? { sub: "admin" } : null) } as unknown as AuthService;
const app = new Elysia()
  .onError(({ code, error, request }) => errorResponse(code, error, request))
  .use(
    createPromptRoutes({ screens: localSessionScreens((id) => (id === "s1" ? { screen, tracker } : undefined)), auth }),
  );
const call = async (path: string, body?: unknown, token = "good") => {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const res = await app.handle(
    new Request(
      `http://local${path}`,
      body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) },
    ),
  );
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> },
  };
};

describe("prompt and screen API", () => {
  test("a phone reads the prompt, answers it, and a second answer is refused", async () => {
    expect((await call("/api/sessions/s1/prompt", undefined, "bad")).status).toBe(401);
    expect((await call("/api/sessions/s1/prompt")).json).toBeNull();
    const appeared = new Promise<Prompt>((r) => tracker.onPrompt(r));
    print("Deploy to production? [y/N] ");
    const p = await appeared;
    const got = await call("/api/sessions/s1/prompt");
    expect(got.json).toMatchObject({
      id: p.id,
      kind: "yes_no",
      options: [
        { key: "y", label: "Yes" },
        { key: "n", label: "No" },
      ],
    });

    expect((await call("/api/sessions/s1/prompt/answer", { promptId: p.id, keys: ["maybe"] })).status).toBe(422);
    expect((await call("/api/sessions/s1/prompt/answer", { promptId: p.id })).status).toBe(422);
    const answering = call("/api/sessions/s1/prompt/answer", { promptId: p.id, keys: ["n"] });
    const second = await call("/api/sessions/s1/prompt/answer", { promptId: p.id, keys: ["y"] });
    expect(second.status).toBe(409);
    expect(second.json.error?.reason).toBe("stale");
    print("n\r\nAborted.\r\n");
    const first = await answering;
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ sent: "n\r", outcome: "cleared", prompt: null });
    expect(sent).toEqual(["n\r"]);
  });

  test("the screen as text lines or ANSI, and search over scrollback", async () => {
    for (let i = 0; i < 30; i++) print(i === 3 ? "ERROR: disk full\r\n" : `line ${i}\r\n`);
    const text = await call("/api/sessions/s1/screen");
    expect(text.status).toBe(200);
    expect((text.json.lines as string[]).filter(Boolean).at(-1)).toBe("line 29");
    expect(text.json.byteCursor).toBe(at);
    const ansi = await call("/api/sessions/s1/screen?format=ansi&scrollback=5");
    expect(typeof ansi.json.data).toBe("string");
    expect(ansi.json.byteCursor).toBe(at);
    const found = await call("/api/sessions/s1/search?q=error");
    expect((found.json.hits as { text: string }[]).map((h) => h.text)).toEqual(["ERROR: disk full"]);
    expect((await call("/api/sessions/s1/search")).status).toBe(422);
    expect((await call("/api/sessions/nope/screen")).status).toBe(404);
  });
});
