import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ensureHomeDirs, loadConfig } from "../../src/config";
import { PushService } from "../../src/push";
import { openStore, type Store } from "../../src/store";
import { waitFor } from "../harness";
import { selfSignedCert } from "../self-signed";
import { browserKeys } from "./decrypt";

let store: Store;
let pgDir = "";
let pushServer: ReturnType<typeof Bun.serve>;
const received: { path: string; headers: Headers; bytes: number; body: Uint8Array }[] = [];
let gone = new Set<string>();

// A browser subscription's keys (P-256 public key and auth secret), as a browser would send them.
const keys = {
  p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
  auth: "tBHItJI5svbpez7KI4CCXg",
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "opendray-push-"));
  const tls = selfSignedCert(dir);
  // A stand-in push service: accepts deliveries, answers 410 for endpoints marked as gone.
  pushServer = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: tls.certPem, key: tls.keyPem },
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const body = new Uint8Array(await req.arrayBuffer());
      received.push({ path, headers: req.headers, bytes: body.byteLength, body });
      return new Response(null, { status: gone.has(path) ? 410 : 201 });
    },
  });
  const config = loadConfig({ persistGenerated: true });
  ensureHomeDirs(config);
  pgDir = config.paths.pg;
  store = await openStore(config);
}, 120_000);

afterAll(async () => {
  pushServer?.stop(true);
  await store?.close();
  // The bundled cluster lives outside the temp home (linked from it): remove it too.
  try {
    rmSync(dirname(readlinkSync(join(pgDir, "data"))), { recursive: true, force: true });
  } catch {}
});

const endpoint = (name: string) => `https://127.0.0.1:${pushServer.port}/push/${name}`;

test("the VAPID key pair is generated once and kept", async () => {
  const first = await new PushService({ sql: store.sql }).publicKey();
  const again = await new PushService({ sql: store.sql }).publicKey();
  expect(first).toMatch(/^[A-Za-z0-9_-]{80,}$/);
  expect(again).toBe(first);
});

test("a subscribed phone gets an encrypted notification; a gone one is forgotten", async () => {
  const push = new PushService({ sql: store.sql, agent: new Agent({ rejectUnauthorized: false }), cooldownMs: 0 });
  await push.subscribe({ endpoint: endpoint("phone"), keys });
  await push.subscribe({ endpoint: endpoint("old-laptop"), keys });
  gone = new Set(["/push/old-laptop"]);

  const delivered = await push.notify({
    kind: "waiting",
    sessionId: "s1",
    sessionName: "refactor",
    detail: "Continue? [y/N]",
  });
  expect(delivered).toBe(1);
  const toPhone = received.find((r) => r.path === "/push/phone");
  expect(toPhone?.headers.get("content-encoding")).toBe("aes128gcm");
  expect(toPhone?.headers.get("authorization")).toMatch(/^vapid t=.+, k=.+/);
  expect(toPhone?.headers.get("urgency")).toBe("high");
  expect(toPhone?.bytes).toBeGreaterThan(0);
  expect(await push.count()).toBe(1);

  await push.unsubscribe(endpoint("phone"));
  expect(await push.count()).toBe(0);
});

test("the same event for the same session is not sent twice within the cool-down", async () => {
  const push = new PushService({ sql: store.sql, agent: new Agent({ rejectUnauthorized: false }), cooldownMs: 60_000 });
  await push.subscribe({ endpoint: endpoint("tablet"), keys });
  expect(await push.notify({ kind: "idle", sessionId: "s2" })).toBe(1);
  expect(await push.notify({ kind: "idle", sessionId: "s2" })).toBe(0);
  expect(await push.notify({ kind: "exited", sessionId: "s2", exitCode: 0 })).toBe(1);
});

test("a session that ends or waits notifies the subscribed phones through the hook bus", async () => {
  const { HookBus } = await import("../../src/hooks/bus");
  const hooks = new HookBus();
  const sessions = { get: async () => ({ name: "deploy", sessionType: "claude", lastLine: "done.", exitCode: 0 }) };
  const push = new PushService({
    sql: store.sql,
    sessions,
    agent: new Agent({ rejectUnauthorized: false }),
    cooldownMs: 0,
  });
  await push.subscribe({ endpoint: endpoint("watch"), keys });
  const off = push.listen(hooks);
  const before = received.filter((r) => r.path === "/push/watch").length;
  hooks.emit("onSessionStop", "s3", { exitCode: 0 });
  hooks.emit("onPrompt", "s3", {
    id: "p1",
    sessionId: "s3",
    agent: "claude",
    kind: "approval",
    question: "Apply the migration?",
    options: [],
    multi: false,
    detectedAt: new Date().toISOString(),
  });
  await waitFor(() => received.filter((r) => r.path === "/push/watch").length === before + 2, "two notifications");
  off();
});

test("a user who chose 简体中文 in the web UI gets Chinese notifications; the session's name and question stay as they are", async () => {
  const { HookBus } = await import("../../src/hooks/bus");
  const phone = browserKeys();
  const push = new PushService({ sql: store.sql, agent: new Agent({ rejectUnauthorized: false }), cooldownMs: 0 });
  await push.subscribe({ endpoint: endpoint("zh-phone"), keys: phone.keys });
  const toPhone = () => received.filter((r) => r.path === "/push/zh-phone");
  const delivered = () => phone.decrypt((toPhone().at(-1) as { body: Uint8Array }).body) as Record<string, unknown>;
  /** What the phone shows for `event`. */
  const send = async (event: Parameters<typeof push.notify>[0]) => {
    const before = toPhone().length;
    await push.notify(event);
    expect(toPhone().length).toBe(before + 1);
    return delivered();
  };
  const waiting = {
    kind: "waiting",
    sessionId: "s9",
    sessionName: "重构-api",
    detail: "Apply the migration?",
  } as const;

  // No language chosen: English.
  expect(await send(waiting)).toMatchObject({ title: "重构-api is waiting for you", body: "Apply the migration?" });

  await store.sql`INSERT INTO ui_prefs (name, value) VALUES ('locale', ${store.sql.json({ locale: "zh-CN" })})
    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`;
  try {
    expect(await send(waiting)).toMatchObject({
      title: "重构-api 正在等你",
      body: "Apply the migration?",
      kind: "waiting",
    });

    expect((await send({ kind: "exited", sessionId: "s9", exitCode: 1, durationMs: 83_400 })).title).toBe(
      "一个会话 运行 1 分 23 秒后退出，退出码 1",
    );

    // An account limit, told through the hook bus: the account names stay, the sentence is Chinese.
    const hooks = new HookBus();
    const off = push.listen(hooks);
    const before = toPhone().length;
    hooks.emit("onAccountLimit", "s9", {
      from: "work",
      to: null,
      resetsAt: "2026-12-01T14:48:00Z",
      message: "You've hit your limit",
      suggested: null,
    });
    await waitFor(() => toPhone().length === before + 1, "the limit notice");
    off();
    expect(delivered()).toMatchObject({
      title: "一个会话 已达到 Claude 用量上限",
      body: "work 已达到用量上限；work 将于 14:48 UTC 重置。没有其他可用账号，请等待。",
    });
  } finally {
    await store.sql`DELETE FROM ui_prefs WHERE name = 'locale'`;
  }
});

test("without a language chosen in Settings, each phone gets its browser's language; a chosen one wins; none is English", async () => {
  const push = new PushService({ sql: store.sql, agent: new Agent({ rejectUnauthorized: false }), cooldownMs: 0 });
  const phones = {
    "zh-browser": { ...browserKeys(), language: "zh-CN" },
    "en-browser": { ...browserKeys(), language: "en-US" },
    "de-browser": { ...browserKeys(), language: "de-DE" },
    "old-client": { ...browserKeys(), language: undefined },
  };
  for (const [name, phone] of Object.entries(phones))
    await push.subscribe({ endpoint: endpoint(name), keys: phone.keys, language: phone.language });
  /** The title each phone shows for one waiting event. */
  const titles = async () => {
    const before = received.length;
    await push.notify({ kind: "waiting", sessionId: "s10", sessionName: "deploy" });
    const got = received.slice(before);
    return Object.fromEntries(
      Object.entries(phones).map(([name, phone]) => {
        const body = got.find((r) => r.path === `/push/${name}`)?.body;
        return [name, body ? (phone.decrypt(body) as { title: string }).title : null];
      }),
    );
  };
  try {
    expect(await titles()).toEqual({
      "zh-browser": "deploy 正在等你",
      "en-browser": "deploy is waiting for you",
      "de-browser": "deploy is waiting for you",
      "old-client": "deploy is waiting for you",
    });

    await store.sql`INSERT INTO ui_prefs (name, value) VALUES ('locale', ${store.sql.json({ locale: "en" })})
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`;
    expect(Object.values(await titles())).toEqual(Array(4).fill("deploy is waiting for you"));

    await store.sql`UPDATE ui_prefs SET value = ${store.sql.json({ locale: "zh-CN" })} WHERE name = 'locale'`;
    expect(Object.values(await titles())).toEqual(Array(4).fill("deploy 正在等你"));

    // The browser's language changed and the page sent its subscription again.
    await store.sql`DELETE FROM ui_prefs WHERE name = 'locale'`;
    const zh = phones["zh-browser"];
    await push.subscribe({ endpoint: endpoint("zh-browser"), keys: zh.keys, language: "en-GB" });
    expect((await titles())["zh-browser"]).toBe("deploy is waiting for you");
  } finally {
    await store.sql`DELETE FROM ui_prefs WHERE name = 'locale'`;
    for (const name of Object.keys(phones)) await push.unsubscribe(endpoint(name));
  }
});
