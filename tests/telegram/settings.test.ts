import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { Elysia } from "elysia";
import { AuthService } from "../../src/auth";
import { errorResponse } from "../../src/http";
import { createTelegramRoutes } from "../../src/telegram";
import { ask, type BridgeFixture, CHAT, startBridge, TOKEN } from "./support";

// Scenarios wait for real 2-second batches, back-offs and restarts; each wait inside has its own limit.
setDefaultTimeout(30_000);
let f: BridgeFixture;
let app: { handle(r: Request): Promise<Response> };
let bearer: string;

beforeAll(async () => {
  f = await startBridge({ withToken: false, allowed: [] });
  const auth = new AuthService(f.db.store.sql, "x".repeat(48));
  bearer = (await auth.exchangeOneTimeCode((await auth.issueOneTimeCode()).code)).token;
  app = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(createTelegramRoutes({ telegram: { ...proxy() }, auth }));
});
afterAll(async () => {
  await f.close();
});

/** Routes see the fixture's current bridge, which the restart test replaces. */
function proxy() {
  return {
    status: () => f.telegram.status(),
    stop: () => f.telegram.stop(),
    configure: (p: Parameters<BridgeFixture["telegram"]["configure"]>[0]) => f.telegram.configure(p),
    sendTest: (t?: string) => f.telegram.sendTest(t),
    links: () => f.telegram.links(),
    unlink: (c: string) => f.telegram.unlink(c),
    recentChats: () => f.telegram.recentChats(),
  };
}

async function call(method: string, path: string, body?: unknown, auth = true) {
  const res = await app.handle(
    new Request(`http://local/api/telegram${path}`, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("telegram settings API", () => {
  test("needs a login", async () => {
    expect((await call("GET", "/status", undefined, false)).status).toBe(401);
  });

  test("a bot token set at runtime starts the bot; /whoami works before any chat is allowed; the token is never returned", async () => {
    const before = await call("GET", "/status");
    expect(before.body).toMatchObject({ tokenSet: false, tokenSource: "unset", running: false, connected: false });
    expect((await call("POST", "/test")).status).toBe(400);

    const set = await call("PUT", "/settings", { botToken: TOKEN });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ tokenSet: true, tokenSource: "file", running: true });
    expect(JSON.stringify(set.body)).not.toContain("TEST_TOKEN");
    const file = readFileSync(f.db.config.configPath, "utf8");
    expect(file).toContain(TOKEN);
    expect(statSync(f.db.config.configPath).mode & 0o777).toBe(0o600);

    const who = await ask(f, "/whoami");
    expect(who.text).toContain("Not on the allowlist");
    expect((await ask(f, "/status")).text).toContain("not allowed");
    const status = await call("GET", "/status");
    expect(status.body).toMatchObject({ connected: true, username: "opendray_test_bot", allowedChats: [] });
    expect(JSON.stringify(status.body)).not.toContain("TEST_TOKEN");
    const recent = await call("GET", "/recent-chats");
    expect(recent.body).toEqual([expect.objectContaining({ chatId: String(CHAT), allowed: false, kind: "private" })]);
  });

  test("allowing a chat takes effect at once; the test message reaches it", async () => {
    const put = await call("PUT", "/settings", { allowedChatIds: [CHAT] });
    expect(put.body.allowedChats).toEqual([String(CHAT)]);
    expect((await ask(f, "/status")).text).toBe("No running sessions.");
    const sent = await call("POST", "/test", { text: "hello from settings" });
    expect(sent.body).toEqual({ sent: true, chat: String(CHAT) });
    await f.api.waitForMessage(CHAT, (m) => m.text === "hello from settings");
    expect(readFileSync(f.db.config.configPath, "utf8")).toContain(`allowed_chat_ids = ["${CHAT}"]`);
  });

  test("links are listed and removed through the API", async () => {
    const s = await f.sessions.create("api-linked");
    await ask(f, "/link api-linked");
    const links = await call("GET", "/links");
    expect(links.body).toEqual([expect.objectContaining({ chatId: String(CHAT), sessionId: s.id })]);
    const removed = await call("POST", "/unlink", { chatId: CHAT });
    expect(removed.body).toEqual({ removed: true, sessionId: s.id });
    expect((await call("POST", "/unlink", { chatId: String(CHAT) })).body).toEqual({ removed: false, sessionId: null });
    expect((await call("GET", "/links")).body).toEqual([]);
  });

  test("bad bodies are refused naming the field", async () => {
    const bad = await call("PUT", "/settings", { botToken: "not a token" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("botToken");
    const badChat = await call("POST", "/unlink", { chatId: "abc" });
    expect(badChat.status).toBe(422);
    expect(badChat.body.error.issues[0].path).toBe("chatId");
    const extra = await call("PUT", "/settings", { allowedChatIds: [CHAT], token: "x" });
    expect(extra.status).toBe(422);
  });

  test("a token Telegram rejects shows in the status, not as a crash", async () => {
    await call("PUT", "/settings", { botToken: "999999:UNKNOWN_TOKEN_abcdefghijklmnopqrstuvwxyz" });
    await f.api.waitUntil(() => !f.telegram.status().running);
    const status = await call("GET", "/status");
    expect(status.body).toMatchObject({
      tokenSet: true,
      running: false,
      connected: false,
      lastError: "401: Unauthorized",
    });
  });

  test("clearing the token stops the bot without a restart", async () => {
    const cleared = await call("PUT", "/settings", { botToken: null });
    expect(cleared.body).toMatchObject({ tokenSet: false, running: false, connected: false });
    expect(readFileSync(f.db.config.configPath, "utf8")).not.toContain(TOKEN);
    const polls = f.api.callsOf("getUpdates").length;
    const { messageId } = f.api.userSays(TOKEN, CHAT, "/whoami");
    // Setting it again answers the message that waited meanwhile, and nothing else polled in between.
    expect(f.api.callsOf("getUpdates").length).toBe(polls);
    await call("PUT", "/settings", { botToken: TOKEN });
    await f.api.waitForMessage(CHAT, (m) => m.replyTo === messageId);
  });
});
