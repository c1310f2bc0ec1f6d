import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { startServer, type TestServer, waitFor } from "../harness";
import { appInSession } from "./support";

const MB = 1024 * 1024;
let server: TestServer;
let dir: string;
let sessionId: string;
let appPort: number;

const DOMAIN = "preview.example.test";

beforeAll(async () => {
  // preview.domain set: domain-mode previews are served by OpenDray's own port, path mode stays opt-in.
  server = await startServer({ env: { PREVIEW_DOMAIN: DOMAIN } });
  // An app that counts what an upload has brought so far (GET /) and answers its size and sum.
  ({
    dir,
    sessionId,
    port: appPort,
  } = await appInSession(
    server,
    `let received = 0;
let uploads = 0;
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, maxRequestBodySize: 64 * 1024 * 1024, async fetch(req) {
  if (req.method === "GET") return Response.json({ uploads, received });
  uploads++;
  received = 0;
  let sum = 0;
  for await (const c of req.body) { for (const b of c) sum = (sum + b) % 65521; received += c.length; }
  return Response.json({ bytes: received, sum });
} });
console.log("uploads on http://127.0.0.1:" + server.port + "/");
`,
    /uploads on/,
  ));
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** 10 MB the app must see in full: bytes 0..250 repeating, so a dropped or reordered chunk changes the sum. */
const payload = (size: number) => Uint8Array.from({ length: size }, (_, i) => i % 251);
const sumOf = (bytes: Uint8Array) => bytes.reduce((s, b) => (s + b) % 65521, 0);

const appState = async () =>
  (await (await fetch(`http://127.0.0.1:${appPort}/`)).json()) as { uploads: number; received: number };

/** Where a request to the preview goes, with the cookie its one-time code bought. */
interface Opened {
  url: (path: string) => string;
  headers: Record<string, string>;
}

async function pathPreview(): Promise<Opened> {
  const opened = await server.api("/api/preview", { method: "POST", json: { sessionId, port: appPort, mode: "path" } });
  expect(opened.status).toBe(201);
  const url = new URL(opened.body.url);
  const exchange = await fetch(url, { redirect: "manual" });
  expect(exchange.status).toBe(302);
  const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const base = `${url.origin}${url.pathname.replace(/\/$/, "")}`;
  return { url: (path) => `${base}${path}`, headers: { cookie } };
}

/** A domain-mode preview as the wildcard reverse proxy forwards it: Host kept, https said. */
async function domainPreview(): Promise<Opened> {
  const opened = await server.api("/api/preview", {
    method: "POST",
    json: { sessionId, port: appPort, mode: "domain" },
  });
  expect(opened.status).toBe(201);
  const url = new URL(opened.body.url);
  expect(url.host).toBe(`${opened.body.id}.${DOMAIN}`);
  const proxied = { host: url.host, "x-forwarded-proto": "https" };
  const exchange = await fetch(`${server.url}/${url.search}`, { headers: proxied, redirect: "manual" });
  expect(exchange.status).toBe(302);
  const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { url: (path) => `${server.url}${path}`, headers: { ...proxied, cookie } };
}

const modes = [
  ["path", pathPreview],
  ["domain", domainPreview],
] as const;

test.each(modes)(
  "a 10 MB upload through a %s-mode preview reaches the app whole, streamed as it is sent",
  async (_, open) => {
    const preview = await open();
    const bytes = payload(10 * MB);
    let sent = 0;
    let appSawFirstPart = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent === MB) {
          // The rest waits until the app has bytes of the first megabyte: a proxy that buffered the body
          // before forwarding it would never get them there.
          await waitFor(
            async () => (await appState()).received > 0,
            "the app to receive the first part of the upload",
            20_000,
          );
          appSawFirstPart = true;
        }
        if (sent >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(sent, sent + MB));
        sent += MB;
      },
    });
    const r = await fetch(preview.url("/upload"), {
      method: "POST",
      body,
      headers: {
        ...preview.headers,
        "content-type": "application/octet-stream",
        "content-length": String(bytes.length),
      },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ bytes: 10 * MB, sum: sumOf(bytes) });
    expect(appSawFirstPart).toBe(true);
  },
);

test.each(modes)(
  "an upload over 32 MB through a %s-mode preview is refused with a 413, the app's port untouched",
  async (_, open) => {
    const preview = await open();
    const before = (await appState()).uploads;
    const r = await fetch(preview.url("/upload"), {
      method: "POST",
      body: new Uint8Array(33 * MB),
      headers: { ...preview.headers, "content-type": "application/octet-stream" },
    });
    expect(r.status).toBe(413);
    expect((await appState()).uploads).toBe(before);
  },
);
