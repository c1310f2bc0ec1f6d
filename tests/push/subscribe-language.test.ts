import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";
import { type PushServiceStub, startPushService } from "../stubs/push-service";

// A phone's browser subscribes through the API with its language, as the web app sends it; a session that
// ends notifies it through the local push service, which decrypts what the phone would show.
let server: TestServer;
let push: PushServiceStub;

beforeAll(async () => {
  push = startPushService();
  server = await startServer({ env: { NODE_EXTRA_CA_CERTS: push.caFile } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  push?.stop();
});

/** The fields a 422 names, each once. */
const fields = (body: { error?: { issues?: { path: string }[] } }) => [
  ...new Set((body.error?.issues ?? []).map((i) => i.path)),
];

/** Starts a shell that ends on its own and answers the title each named phone was shown for it. */
async function sessionEnds(phones: string[]) {
  const before = push.received.length;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { name: "build", cwd: "/tmp", sessionType: "terminal", extraArgs: ["-c", "exit 3"] },
  });
  expect(created.status).toBe(201);
  const got = await waitFor(() => {
    const seen = push.received.slice(before);
    return phones.every((p) => seen.some((r) => r.endpoint === p)) ? seen : null;
  }, "the phones' notifications");
  return Object.fromEntries(phones.map((p) => [p, got.find((r) => r.endpoint === p)?.payload.title]));
}

test("a phone whose browser is in Chinese gets Chinese notifications until the user chooses English in Settings", async () => {
  const subscribe = (name: string, language?: string) =>
    server.api("/api/push/subscribe", { method: "POST", json: { ...push.subscription(name), language } });
  expect((await subscribe("zh-phone", "zh-CN")).status).toBe(201);
  expect((await subscribe("old-app")).status).toBe(201);

  expect(await sessionEnds(["zh-phone", "old-app"])).toEqual({
    "zh-phone": expect.stringMatching(/^build 运行 .+后退出，退出码 3$/),
    "old-app": expect.stringMatching(/^build exited with code 3 after /),
  });

  expect((await server.api("/api/ui/locale", { method: "PUT", json: { locale: "en" } })).status).toBe(200);
  expect(await sessionEnds(["zh-phone", "old-app"])).toEqual({
    "zh-phone": expect.stringMatching(/^build exited with code 3 after /),
    "old-app": expect.stringMatching(/^build exited with code 3 after /),
  });
  await server.api("/api/ui/locale", { method: "PUT", json: { locale: null } });
}, 90_000);

test("a subscription whose language is not a language tag is a 422 on language, and nothing is subscribed", async () => {
  const before = (await server.api("/api/push/status")).body.subscriptions;
  for (const language of ["zh_CN", "en US", "", `en-${Array(5).fill("abcdefgh").join("-")}`, "zh-CN\u0000", 42, null]) {
    const r = await server.api("/api/push/subscribe", {
      method: "POST",
      json: { ...push.subscription("bad-tag"), language },
    });
    expect({ language, status: r.status, fields: fields(r.body) }).toEqual({
      language,
      status: 422,
      fields: ["language"],
    });
  }
  expect((await server.api("/api/push/status")).body.subscriptions).toBe(before);
});

test("a refused language or key names its field once, then says what it takes", async () => {
  const bad = async (json: Record<string, unknown>) =>
    (await server.api("/api/push/subscribe", { method: "POST", json })).body.error;
  const tag = await bad({ ...push.subscription("bad-message"), language: "zh_CN" });
  expect(tag.issues).toEqual([{ path: "language", message: "a language tag such as zh-CN or en-US" }]);
  expect(tag.message).toBe("language: a language tag such as zh-CN or en-US");
  const sub = push.subscription("bad-key");
  const key = await bad({ ...sub, keys: { ...sub.keys, auth: "not base64!" } });
  expect(key.message).toBe("keys.auth: base64url text (A–Z, a–z, 0–9, - and _)");
});
