import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { BotApiStub } from "../stubs/bot-api";
import { ask, type BridgeFixture, CHAT, startBridge, TOKEN } from "./support";

// Scenarios wait for real 2-second batches, back-offs and restarts; each wait inside has its own limit.
setDefaultTimeout(30_000);
let f: BridgeFixture;
beforeAll(async () => {
  f = await startBridge();
});
afterAll(async () => {
  await f.close();
});

describe("telegram robustness", () => {
  test("HTML Telegram cannot parse is re-sent as plain text", async () => {
    f.api.failNext("sendMessage", {
      kind: "error",
      code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 0',
    });
    const callsBefore = f.api.callsOf("sendMessage").length;
    const reply = await ask(f, "/whoami");
    expect(reply.text).toContain(`This chat's id: ${CHAT}`);
    expect(reply.parseMode).toBeUndefined();
    const [failed, retried] = f.api.callsOf("sendMessage").slice(callsBefore);
    expect(failed?.params.parse_mode).toBe("HTML");
    expect(String(failed?.params.text)).toContain("<code>");
    expect(retried?.params.parse_mode).toBeUndefined();
    expect(String(retried?.params.text)).not.toContain("<code>");
  });

  test("a 429 is honoured: the send waits retry_after and then goes through, once", async () => {
    f.api.failNext("sendMessage", BotApiStub.tooManyRequests(1));
    const callsBefore = f.api.callsOf("sendMessage").length;
    const reply = await ask(f, "/help");
    expect(reply.text).toContain("/status");
    const [limited, retried] = f.api.callsOf("sendMessage").slice(callsBefore);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(f.api.botMessages(CHAT).filter((m) => m.replyTo === reply.replyTo).length).toBe(1);
  });

  test("a send that fails on the network is retried with backoff, not dropped", async () => {
    f.api.failNext("sendMessage", BotApiStub.broken(), BotApiStub.broken());
    const callsBefore = f.api.callsOf("sendMessage").length;
    const reply = await ask(f, "/links");
    expect(reply.text).toBe("No links.");
    const calls = f.api.callsOf("sendMessage").slice(callsBefore);
    expect(calls.length).toBe(3);
    // 1 s, then 2 s.
    expect((calls[2]?.at ?? 0) - (calls[1]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
  });

  test("polling backs off after network errors and recovers; status shows the error meanwhile", async () => {
    const polls = f.api.callsOf("getUpdates").length;
    f.api.failNext("getUpdates", BotApiStub.broken());
    // End the current long poll so the next one meets the fault.
    f.api.userSays(TOKEN, CHAT, "/whoami");
    await f.api.waitUntil(() => f.telegram.status().lastError !== null);
    expect(f.telegram.status().connected).toBe(false);
    const reply = await ask(f, "/whoami");
    expect(reply.text).toContain(String(CHAT));
    expect(f.telegram.status()).toMatchObject({ connected: true, lastError: null, username: "opendray_test_bot" });
    const after = f.api.callsOf("getUpdates").slice(polls);
    // The broken poll (after the in-flight one delivered the first /whoami), then the next after a 2 s back-off.
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect((after[1]?.at ?? 0) - (after[0]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
  });

  test("a restart mid-conversation loses and repeats nothing", async () => {
    const s = await f.sessions.create("durable");
    await ask(f, "/link durable");
    await ask(f, "echo before-restart");
    await f.api.waitUntil(() => f.sessions.text(s.id).includes("before-restart\r\n"));
    // Only once the bot's next long poll is under way (it confirmed everything so far) is the poll after
    // it the "confirming" one; otherwise the fault hits the poll that should fetch the next message.
    await f.api.waitUntil(() => f.api.pending(TOKEN) === 0);
    // The confirming poll fails, so the stub still holds the last handled update when the bridge stops.
    f.api.failNext("getUpdates", BotApiStub.broken());
    const { messageId } = f.api.userSays(TOKEN, CHAT, "echo handled-then-restart");
    await f.api.waitForMessage(CHAT, (m) => m.replyTo === messageId);
    await f.api.waitUntil(() => f.telegram.status().lastError !== null);
    expect(f.api.pending(TOKEN)).toBe(1);
    await f.telegram.stop();
    // Written while the server is down.
    const down = f.api.userSays(TOKEN, CHAT, "echo while-down");
    await f.restart();
    await f.api.waitForMessage(CHAT, (m) => m.replyTo === down.messageId);
    await f.api.waitUntil(() => f.sessions.text(s.id).includes("while-down\r\n"));
    const out = f.sessions.text(s.id);
    expect(out.match(/echo handled-then-restart/g)?.length).toBe(1);
    expect(out.match(/echo while-down/g)?.length).toBe(1);
    expect(f.api.botMessages(CHAT).filter((m) => m.replyTo === messageId).length).toBe(1);
    // The link survived too: output still comes back.
    await f.api.waitForMessage(CHAT, (m) => m.text?.includes("while-down") === true && m.replyTo === undefined);
    await ask(f, "/unlink");
  });

  test("after a quiet week, updates whose ids Telegram restarted lower still arrive", async () => {
    await f.telegram.stop();
    await f.db.store.sql`UPDATE telegram_offsets SET updated_at = now() - interval '8 days'`;
    f.api.expirePending(TOKEN);
    f.api.setNextUpdateId(TOKEN, 7);
    await f.restart();
    const reply = await ask(f, "/whoami");
    expect(reply.text).toContain(String(CHAT));
  });
});
