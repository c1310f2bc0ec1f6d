import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";
import { recorderScript, sessionRunning } from "./support";

let server: TestServer;
let sessionId: string;
let port: number;
const rangeStart = 20_000 + Math.floor(Math.random() * 20_000);

beforeAll(async () => {
  server = await startServer({ env: { PREVIEW_PORT_RANGE: `${rangeStart}-${rangeStart + 9}` } });
  sessionId = await sessionRunning(server, "/tmp", `${process.execPath} ${recorderScript()}`, /recorder listening/);
  port = (await server.api(`/api/preview/ports?sessionId=${sessionId}`)).body[0].port;
});
afterAll(() => server?.stop());

const open = (json: Record<string, unknown>) =>
  server.api("/api/preview", { method: "POST", json: { sessionId, port, ...json } });

test.each(["origin", "path"])(
  "opened at the printed link's page, a preview in %s mode lands there after the one-time code, and the code works once",
  async (mode) => {
    const r = await open({ mode, path: "/some/page?x=1" });
    expect(r.status).toBe(201);
    const url = new URL(r.body.url);
    const prefix = mode === "path" ? `/preview/${r.body.id}` : "";
    expect(url.pathname).toBe(`${prefix}/some/page`);
    const exchange = await fetch(url, { redirect: "manual" });
    expect(exchange.status).toBe(302);
    expect(exchange.headers.get("location")).toBe(`${prefix}/some/page?x=1`);
    const cookie = (exchange.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const landed = await fetch(new URL(exchange.headers.get("location") ?? "", url), { headers: { cookie } });
    const seen = (await landed.json()) as { url: string };
    expect(seen.url).toBe(`http://127.0.0.1:${port}/some/page?x=1`);
    // The same link a second time (someone who copied it) is refused.
    expect((await fetch(url, { redirect: "manual" })).status).toBe(401);
  },
);

test("a preview path that names another host is a 422 naming the path, not a redirect away", async () => {
  for (const path of ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "evil.example"]) {
    const r = await open({ path });
    expect(r.status).toBe(422);
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain("path");
  }
});

/** A GET with the request target exactly as given (fetch would fold `//` in the path). */
async function rawGet(origin: URL, target: string): Promise<string> {
  const { promise, resolve } = Promise.withResolvers<string>();
  let head = "";
  const socket = await Bun.connect({
    hostname: origin.hostname,
    port: Number(origin.port),
    socket: {
      data(s, d) {
        head += d.toString();
        if (head.includes("\r\n\r\n")) {
          s.end();
          resolve(head);
        }
      },
    },
  });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: ${origin.host}\r\nConnection: close\r\n\r\n`);
  return promise;
}

test("a code exchanged at //host/… redirects to a path on the preview's own host", async () => {
  const r = await open({ mode: "origin" });
  const url = new URL(r.body.url);
  const head = await rawGet(url, `//evil.example/x${url.search}`);
  expect(head).toStartWith("HTTP/1.1 302");
  expect(head).toMatch(/\r\nlocation: \/evil\.example\/x\r\n/i);
});
