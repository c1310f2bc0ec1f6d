import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, killProgramsUnder, MAIN, shutdownPtyHost, waitFor } from "../harness";
import { selfSignedCert } from "../self-signed";
import { recorderScript } from "./support";

// The harness speaks plain HTTP; a server with TLS_CERT_FILE is started here, as a user would.
const dir = mkdtempSync(join(tmpdir(), "opendray-preview-tls-"));
const home = join(dir, "home");
const rangeStart = 20_000 + Math.floor(Math.random() * 20_000);
let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
let upstream: Bun.Subprocess<"ignore", "pipe", "ignore">;
let base: string;
let ca: string;
let token: string;
let upstreamPort: number;
let recorder: string;

const api = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const r = await fetch(`${base}${path}`, {
    ...init,
    tls: { ca },
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: r.status, body: await r.json() };
};

beforeAll(async () => {
  const { cert, key, certPem } = selfSignedCert(dir);
  ca = certPem;
  // A dev server outside any session, opened through preview.allow_ports.
  recorder = recorderScript();
  upstream = Bun.spawn([process.execPath, recorder], { stdio: ["ignore", "pipe", "ignore"] });
  const line = new TextDecoder().decode((await upstream.stdout.getReader().read()).value);
  upstreamPort = Number(/:(\d+)\//.exec(line)?.[1]);
  const port = await freePort();
  base = `https://127.0.0.1:${port}`;
  proc = Bun.spawn([process.execPath, MAIN], {
    env: {
      ...(process.env as Record<string, string>),
      OPENDRAY_HOME: home,
      LISTEN_ADDR: `127.0.0.1:${port}`,
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD: "correct-horse-battery",
      PREVIEW_PORT_RANGE: `${rangeStart}-${rangeStart + 9}`,
      PREVIEW_ALLOW_PORTS: String(upstreamPort),
      RATE_LIMIT_MUTATIONS_PER_MIN: "0",
      RATE_LIMIT_READS_PER_MIN: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitFor(async () => (await fetch(`${base}/api/health`, { tls: { ca } })).ok, "the server over HTTPS", 60_000);
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    tls: { ca },
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "correct-horse-battery" }),
  });
  token = ((await login.json()) as { token: string }).token;
});

afterAll(async () => {
  upstream?.kill();
  if (proc && proc.exitCode === null) {
    proc.kill("SIGTERM");
    await Promise.race([proc.exited, Bun.sleep(15_000)]);
    if (proc.exitCode === null) proc.kill("SIGKILL");
  }
  await shutdownPtyHost(home);
  killProgramsUnder(home);
  rmSync(dir, { recursive: true, force: true });
  if (recorder) rmSync(dirname(recorder), { recursive: true, force: true });
});

test("with OpenDray on HTTPS an origin-mode preview is served over HTTPS with the same certificate", async () => {
  const s = await api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd: dir, extraArgs: ["-c", "exec sleep 600"] },
  });
  expect(s.status).toBe(201);
  const opened = await api("/api/preview", { method: "POST", json: { sessionId: s.body.id, port: upstreamPort } });
  expect(opened.status).toBe(201);
  const url = new URL(opened.body.url);
  expect(url.protocol).toBe("https:");
  expect(Number(url.port)).toBeGreaterThanOrEqual(rangeStart);

  // The certificate OpenDray was given is the one the preview's listener presents.
  const exchange = await fetch(url, { tls: { ca }, redirect: "manual" });
  expect(exchange.status).toBe(302);
  const cookie = exchange.headers.get("set-cookie") ?? "";
  expect(cookie).toContain("Secure");
  const page = await fetch(`${url.origin}/hello`, { tls: { ca }, headers: { cookie: cookie.split(";")[0] ?? "" } });
  expect(page.status).toBe(200);
  const seen = (await page.json()) as { headers: Record<string, string> };
  expect(seen.headers["x-forwarded-proto"]).toBe("https");

  // Plain HTTP on the preview's port does not serve the app.
  const plain = await fetch(`http://127.0.0.1:${url.port}/hello`).then(
    (r) => r.status,
    () => "refused",
  );
  expect(plain).not.toBe(200);
});
