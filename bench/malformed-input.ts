// A seeded random battery of malformed requests against the real server (loopback only): random methods,
// the real route table with broken params, bodies of wrong types, huge, deeply nested, with NUL, bad JSON,
// bad UTF-8, odd content types, with and without a token. Counts 5xx answers and crashes; the figure is 0.
//   bun bench/malformed-input.ts [--seed N] [--count N] [--concurrency N]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchServer, type TestServer } from "./common";

const { values: args } = parseArgs({
  options: { seed: { type: "string" }, count: { type: "string" }, concurrency: { type: "string" } },
});
const SEED = Number(args.seed ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) >>> 0;
const COUNT = Number(args.count ?? 10_000);
const CONCURRENCY = Number(args.concurrency ?? 8);
const MAX_SECONDS = 420;
const REQUEST_TIMEOUT_MS = 15_000;

/** mulberry32: small, seeded, good enough to pick cases. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const chance = (p: number) => random() < p;

// ---- what goes into the requests ----------------------------------------------------------------------------

const NUMBERS = ["0", "-1", "1.5", "1e999", "-1e999", "123456789012345678901234567890", "9223372036854775808", "NaN"];
const STRINGS = [
  "",
  "a\u0000b",
  "\u0000",
  "%ZZ",
  "../../etc/passwd",
  "tests",
  "~root",
  "\uD800",
  "😀".repeat(50),
  "x".repeat(5000),
  "<script>alert(1)</script>",
  "'; drop table sessions; --",
  "$(touch /tmp/opendray-fuzz-pwned)",
  "http://push.example/x",
  "file:///etc/passwd",
];
function randomValue(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return pick(STRINGS);
    case 1:
      return Number(pick(NUMBERS));
    case 2:
      return pick([true, false, null]);
    case 3:
      return 2 ** int(80);
    case 4:
      return -int(1e6);
    case 5:
      return pick(["/tmp", "~", "/", "terminal", "claude", "raw", "snapshot"]);
    case 6:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    case 7:
      return { [pick(["a", "__proto__", "constructor", "cwd", "FOO"])]: randomValue(depth + 1) };
    default:
      return { cwd: randomValue(depth + 1), name: randomValue(depth + 1) };
  }
}

/** A plausible body for each mutating route, which the battery then breaks. */
const TEMPLATES: Record<string, () => Record<string, unknown>> = {
  login: () => ({ username: "admin", password: "wrong-password" }),
  "one-time": () => ({ code: "ABCDEFGH12345678" }),
  "change-credentials": () => ({ currentPassword: "not-the-password", newPassword: "something-long" }),
  sessions: () => ({ cwd: "/tmp", name: "fuzz", sessionType: "terminal", autoStart: false, cols: 80, rows: 24 }),
  input: () => ({ input: "echo hi\r", id: "fuzz-1" }),
  resize: () => ({ cols: 100, rows: 30 }),
  answer: () => ({ promptId: "p1", keys: ["enter"] }),
  toggle: () => ({ enabled: true }),
  config: () => ({ values: { command: "auto", extraArgs: "--x" } }),
  unlink: () => ({ chatId: "123456789" }),
  settings: () => ({ allowedChatIds: ["123456789"] }),
  test: () => ({ text: "hello" }),
  subscribe: () => ({
    endpoint: "https://push.example/abc",
    expirationTime: null,
    keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA", auth: "tBHItJI5svbpez7KI4CCXg" },
  }),
  unsubscribe: () => ({ endpoint: "https://push.example/abc" }),
};

function mutate(body: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(body);
  const key = pick(keys);
  switch (int(7)) {
    case 0:
      body[key] = randomValue();
      break;
    case 1:
      delete body[key];
      break;
    case 2:
      body[pick(["surprise", "__proto__", "constructor", "prototype"])] = randomValue();
      break;
    case 3:
      body[key] = `${String(body[key])}\u0000`;
      break;
    case 4:
      body[key] = "x".repeat(pick([200, 4001, 40_000, 300_000]));
      break;
    case 5:
      body.envOverrides = { [pick(["FOO", "BAD NAME", "", "PATH"])]: randomValue() };
      break;
    default:
      body.cwd = pick(STRINGS);
  }
  return body;
}

const nested = (depth: number) =>
  chance(0.5) ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** The body as bytes: JSON of a broken template, or broken JSON itself. */
function randomBody(template: string | undefined): { body?: BodyInit; type?: string } {
  const json = () => JSON.stringify(mutate((TEMPLATES[template ?? ""] ?? TEMPLATES.sessions!)()));
  const type = pick([
    "application/json",
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/octet-stream",
    "application/vnd.api+json",
    "",
  ]);
  switch (int(12)) {
    case 0:
      return { body: nested(pick([40, 1000, 20_000])), type };
    case 1:
      return { body: json().slice(0, int(40)), type }; // truncated
    case 2:
      return { body: `${json()}garbage`, type };
    case 3:
      return { body: "{'cwd': '/tmp'}", type };
    case 4:
      return { body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), type };
    case 5:
      return { body: `{"cwd":"/tmp","cols":${pick(NUMBERS)},"rows":1e400}`, type };
    case 6:
      return { body: '--xyz\r\nContent-Disposition: form-data; name="cwd"\r\n\r\n/tmp\u0000\r\n--xyz--', type };
    case 7:
      return { body: "x".repeat(pick([1024 * 1024 + 1, 1_500_000])), type: "application/json" };
    case 8:
      return { body: streamOf(json(), pick([0, 200_000, 1_200_000])), type };
    case 9:
      return { body: "", type };
    case 10:
      return { type };
    default:
      return { body: json(), type };
  }
}

/** A chunked body (no Content-Length): the JSON, padded with `pad` spaces before it. */
function streamOf(json: string, pad: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= pad) {
        c.enqueue(new TextEncoder().encode(json));
        c.close();
        return;
      }
      const n = Math.min(64 * 1024, pad - sent);
      c.enqueue(new Uint8Array(n).fill(0x20));
      sent += n;
    },
  });
}

// ---- the route table ----------------------------------------------------------------------------------------

interface Route {
  methods: string[];
  path: string;
  body?: string;
  query?: () => string;
}
const q = (name: string, values: string[]) => () => `?${name}=${pick(values)}`;
const ROUTES: Route[] = [
  { methods: ["GET"], path: "/api/health" },
  { methods: ["GET"], path: "/api/auth/status" },
  { methods: ["POST"], path: "/api/auth/login", body: "login" },
  { methods: ["POST"], path: "/api/auth/one-time", body: "one-time" },
  { methods: ["POST"], path: "/api/auth/change-credentials", body: "change-credentials" },
  { methods: ["GET", "POST"], path: "/api/sessions", body: "sessions" },
  { methods: ["GET", "DELETE"], path: "/api/sessions/:id" },
  { methods: ["POST"], path: "/api/sessions/:id/start" },
  { methods: ["POST"], path: "/api/sessions/:id/stop" },
  { methods: ["POST"], path: "/api/sessions/:id/input", body: "input" },
  { methods: ["POST"], path: "/api/sessions/:id/resize", body: "resize" },
  {
    methods: ["GET"],
    path: "/api/sessions/:id/buffer",
    query: q("since", ["-1", "1e999", "99999999999999999999", "abc", "%ZZ", "", "0&since=1", "%00"]),
  },
  { methods: ["GET"], path: "/api/sessions/:id/ws", query: q("since", ["-1", "x", "%ZZ"]) },
  { methods: ["GET"], path: "/api/sessions/:id/prompt" },
  { methods: ["POST"], path: "/api/sessions/:id/prompt/answer", body: "answer" },
  { methods: ["GET"], path: "/api/sessions/:id/screen", query: q("scrollback", ["-5", "1e9", "x", "%ZZ"]) },
  { methods: ["GET"], path: "/api/sessions/:id/search", query: q("q", ["", "%00", "x".repeat(300), "a&limit=1e9"]) },
  { methods: ["GET"], path: "/api/sessions/:id/diff" },
  { methods: ["GET"], path: "/api/providers", query: q("kind", ["agent", "x", "%ZZ", ""]) },
  { methods: ["GET"], path: "/api/providers/:name" },
  { methods: ["PATCH"], path: "/api/providers/:name/toggle", body: "toggle" },
  { methods: ["GET", "PUT"], path: "/api/providers/:name/config", body: "config" },
  { methods: ["GET"], path: "/api/providers/:name/models" },
  { methods: ["GET"], path: "/api/plugins/errors" },
  { methods: ["GET"], path: "/api/hooks" },
  { methods: ["GET"], path: "/api/telegram/status" },
  { methods: ["POST"], path: "/api/telegram/test", body: "test" },
  { methods: ["GET"], path: "/api/telegram/links" },
  { methods: ["POST"], path: "/api/telegram/unlink", body: "unlink" },
  { methods: ["GET"], path: "/api/telegram/recent-chats" },
  { methods: ["PUT"], path: "/api/telegram/settings", body: "settings" },
  { methods: ["GET"], path: "/api/push/vapid-public-key" },
  { methods: ["GET"], path: "/api/push/status" },
  { methods: ["POST"], path: "/api/push/subscribe", body: "subscribe" },
  { methods: ["POST"], path: "/api/push/unsubscribe", body: "unsubscribe" },
  { methods: ["GET"], path: "/" },
  { methods: ["GET"], path: "/assets/:file" },
  { methods: ["GET"], path: "/sw.js" },
  { methods: ["GET"], path: "/api/no/such/route" },
];
const BAD_IDS = [
  "not-a-uuid",
  "%ZZ",
  "%E0%A4%A",
  "%",
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "x".repeat(3000),
  "00000000-0000-4000-8000-000000000000",
  "%F0%9F%98%80",
  "",
];
const NAMES = ["claude", "terminal", "gemini", "no-such", "%ZZ", "Bad Name", "..%2F", "%00", "x".repeat(100)];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND"];

function randomRequest(server: TestServer, victims: string[]) {
  const route = pick(ROUTES);
  const method = chance(0.8) ? pick(route.methods) : pick(METHODS);
  let path = route.path
    .replace(":id", () => (chance(0.3) && victims.length ? pick(victims) : pick(BAD_IDS)))
    .replace(":name", () => pick(NAMES))
    .replace(":file", () => pick(["index-abc.js", "%", "%ZZ", "..%2F..%2Fpackage.json", "x.js%00"]));
  if (chance(0.1)) path += pick(["/", "//", "/..", "/%2e%2e", "%", "?%", "#x"]);
  if (route.query && chance(0.8)) path += route.query();
  const headers: Record<string, string> = {};
  const auth = int(6);
  if (auth <= 2) headers.authorization = `Bearer ${server.token}`;
  else if (auth === 3) headers.authorization = pick(["Bearer ", "Bearer x.y.z", "Basic YWRtaW46YWRtaW4=", "Bearer \t"]);
  else if (auth === 4) path += `${path.includes("?") ? "&" : "?"}token=${pick([server.token, "%ZZ", "x"])}`;
  if (chance(0.05)) headers.origin = pick(["https://evil.example", "null", "%ZZ"]);
  const init: RequestInit & { duplex?: string } = { method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
  if (method !== "GET" && method !== "HEAD" && (route.body || chance(0.3))) {
    const { body, type } = randomBody(route.body);
    if (type) headers["content-type"] = type;
    if (body !== undefined) init.body = body;
    if (body instanceof ReadableStream) init.duplex = "half";
  }
  return { method, path, init };
}

// ---- the run ------------------------------------------------------------------------------------------------

console.log(`seed ${SEED} (re-run with --seed ${SEED}); ${COUNT} requests, ${CONCURRENCY} at a time`);
const home = mkdtempSync(join(tmpdir(), "opendray-fuzz-home-"));
// No login profile in the shells the battery may start, few sessions at most: starts beyond it are 409s.
const server = await benchServer({ env: { HOME: home, MAX_SESSIONS: "8" } });
let exitCode = 0;
try {
  await server.api("/api/providers/terminal/config", { method: "PUT", json: { values: { command: "sh" } } });
  // What must survive: sessions created before (one of them running) and a push subscription.
  const kept: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { cwd: "/tmp", name: `kept ${i}`, autoStart: i === 0, extraArgs: i === 0 ? ["-c", "sleep 3600"] : [] },
    });
    if (r.status !== 201) throw new Error(`could not create a session: ${JSON.stringify(r.body)}`);
    kept.push(r.body.id);
  }
  const runningPid = (await server.api(`/api/sessions/${kept[0]}`)).body.pid as number;
  const sub = await server.api("/api/push/subscribe", {
    method: "POST",
    json: { ...TEMPLATES.subscribe!(), endpoint: "https://push.example/kept" },
  });
  if (sub.status !== 201) throw new Error(`could not subscribe: ${JSON.stringify(sub.body)}`);
  // Sessions the battery may start, stop and delete.
  const victims: string[] = [];
  for (let i = 0; i < 3; i++)
    victims.push(
      (
        await server.api("/api/sessions", {
          method: "POST",
          json: { cwd: "/tmp", name: `victim ${i}`, autoStart: false },
        })
      ).body.id,
    );

  const statuses = new Map<number, number>();
  const fiveHundreds: string[] = [];
  const transport: string[] = [];
  let sent = 0;
  const started = performance.now();
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const worker = async () => {
    while (sent < COUNT && Date.now() < deadline) {
      sent++;
      const { method, path, init } = randomRequest(server, victims);
      try {
        const r = await fetch(`${server.url}${path}`, init);
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500) fiveHundreds.push(`${r.status} ${method} ${path.slice(0, 120)}`);
      } catch (e) {
        transport.push(`${method} ${path.slice(0, 120)}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;

  let alive = true;
  try {
    process.kill(server.pid(), 0);
  } catch {
    alive = false;
  }
  const health = alive
    ? await fetch(`${server.url}/api/health`)
        .then((r) => r.json())
        .catch(() => null)
    : null;
  const relogin = alive
    ? await fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: server.username, password: server.password }),
      }).then((r) => r.status)
    : 0;
  const listed = alive
    ? ((await server.api("/api/sessions")).body as { id: string; status: string; pid: number }[])
    : [];
  const lost = kept.filter((id) => !listed.some((s) => s.id === id));
  const running = listed.find((s) => s.id === kept[0]);
  const stillRunning = running && running.status !== "exited" && running.pid === runningPid;
  const subscriptions = alive ? (await server.api("/api/push/status")).body.subscriptions : 0;
  const crashes =
    (alive ? 0 : 1) +
    (health?.status === "ok" ? 0 : 1) +
    (relogin === 200 ? 0 : 1) +
    (server.logs().match(/panic|Segmentation/gi)?.length ?? 0);

  console.log(`requests: ${sent} in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s)`);
  console.log(
    `statuses: ${[...statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(" ")}`,
  );
  console.log(`5xx answers: ${fiveHundreds.length}`);
  for (const f of [...new Set(fiveHundreds)].slice(0, 10)) console.log(`  ${f}`);
  console.log(`transport errors (no answer): ${transport.length}`);
  for (const t of [...new Set(transport)].slice(0, 10)) console.log(`  ${t}`);
  console.log(`crashes: ${crashes} (server alive: ${alive}, health: ${health?.status ?? "none"}, login: ${relogin})`);
  console.log(
    `kept: ${kept.length - lost.length}/${kept.length} sessions listed, running one ${
      stillRunning ? "still running" : `now ${running?.status} (pid ${running?.pid}, was ${runningPid})`
    }, push subscriptions ${subscriptions}`,
  );
  const ok =
    sent >= COUNT &&
    fiveHundreds.length === 0 &&
    crashes === 0 &&
    lost.length === 0 &&
    stillRunning &&
    subscriptions >= 1;
  if (!ok) exitCode = 1;
} finally {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(exitCode);
