import { afterAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { notFound } from "../errors";
import { errorResponse } from "../http";
import { ScreenHost, ScreenModel } from "../screen/index";
import { builtinPromptRules } from "./builtin-rules";
import { createPromptRoutes } from "./routes";
import { type Prompt, PromptTracker } from "./tracker";

const S1 = "5d7c3c7e-6a43-4f4e-9d0e-1a2b3c4d5e6f";
const host = new ScreenHost();
const screen = new ScreenModel(80, 10, 200, { host });
const sent: string[] = [];
const tracker = new PromptTracker({
  sessionId: S1,
  agent: "terminal",
  rules: builtinPromptRules.terminal,
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
    createPromptRoutes({
      tracker: (id) => {
        if (id !== S1) throw notFound("session");
        return tracker;
      },
      auth,
    }),
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

describe("prompt API", () => {
  test("a phone reads the prompt, answers it, and a second answer is refused", async () => {
    expect((await call(`/api/sessions/${S1}/prompt`, undefined, "bad")).status).toBe(401);
    expect((await call(`/api/sessions/${S1}/prompt`)).json).toBeNull();
    const appeared = new Promise<Prompt>((r) => tracker.onPrompt(r));
    print("Deploy to production? [y/N] ");
    const p = await appeared;
    const got = await call(`/api/sessions/${S1}/prompt`);
    expect(got.json).toMatchObject({
      id: p.id,
      kind: "yes_no",
      options: [
        { key: "y", label: "Yes" },
        { key: "n", label: "No" },
      ],
    });

    expect((await call(`/api/sessions/${S1}/prompt/answer`, { promptId: p.id, keys: ["maybe"] })).status).toBe(422);
    expect((await call(`/api/sessions/${S1}/prompt/answer`, { promptId: p.id })).status).toBe(422);
    const answering = call(`/api/sessions/${S1}/prompt/answer`, { promptId: p.id, keys: ["n"] });
    const second = await call(`/api/sessions/${S1}/prompt/answer`, { promptId: p.id, keys: ["y"] });
    expect(second.status).toBe(409);
    expect(second.json.error?.reason).toBe("stale");
    print("n\r\nAborted.\r\n");
    const first = await answering;
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ sent: "n\r", outcome: "cleared", prompt: null });
    expect(sent).toEqual(["n\r"]);
  });

  test("an unknown session is 404, a malformed session id 422 naming the id", async () => {
    expect((await call("/api/sessions/00000000-0000-4000-8000-000000000000/prompt")).status).toBe(404);
    const bad = await call("/api/sessions/nope/prompt");
    expect(bad.status).toBe(422);
    expect(bad.json.error?.issues).toEqual([{ path: "id", message: "a session id (UUID)" }]);
  });
});
