import { afterAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { notFound } from "../errors";
import { errorResponse } from "../http";
import { ScreenHost, ScreenModel } from "./index";
import { createScreenRoutes } from "./routes";

const S1 = "5d7c3c7e-6a43-4f4e-9d0e-1a2b3c4d5e6f";
const host = new ScreenHost();
const screen = new ScreenModel(80, 10, 200, { host });
afterAll(() => {
  screen.dispose();
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
    createScreenRoutes({
      screen: (id) => {
        if (id !== S1) throw notFound("session");
        return screen;
      },
      auth,
    }),
  );
const call = async (path: string, token = "good") => {
  const res = await app.handle(new Request(`http://local${path}`, { headers: { authorization: `Bearer ${token}` } }));
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe("screen API", () => {
  test("the screen as text lines or ANSI, and search over scrollback", async () => {
    expect((await call(`/api/sessions/${S1}/screen`, "bad")).status).toBe(401);
    for (let i = 0; i < 30; i++) print(i === 3 ? "ERROR: disk full\r\n" : `line ${i}\r\n`);
    const text = await call(`/api/sessions/${S1}/screen`);
    expect(text.status).toBe(200);
    expect((text.json.lines as string[]).filter(Boolean).at(-1)).toBe("line 29");
    expect(text.json.byteCursor).toBe(at);
    const ansi = await call(`/api/sessions/${S1}/screen?format=ansi&scrollback=5`);
    expect(typeof ansi.json.data).toBe("string");
    expect(ansi.json.byteCursor).toBe(at);
    const found = await call(`/api/sessions/${S1}/search?q=error`);
    expect((found.json.hits as { text: string }[]).map((h) => h.text)).toEqual(["ERROR: disk full"]);
    expect((await call(`/api/sessions/${S1}/search`)).status).toBe(422);
    expect((await call("/api/sessions/00000000-0000-4000-8000-000000000000/screen")).status).toBe(404);
    expect((await call("/api/sessions/nope/screen")).status).toBe(422);
  });
});
