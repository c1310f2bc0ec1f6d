import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer } from "../harness";
import { addServer } from "./support";

// Editing a server keeps each stored env value or header the edit leaves as `{"keep": true}`.
let server: TestServer;
let seen: Headers[] = [];
let http: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  // Across the network boundary: an "MCP server" that notes the headers it was sent and refuses.
  http = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      seen.push(req.headers);
      return new Response("no", { status: 401 });
    },
  });
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
  http?.stop(true);
});

const sha = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

/**
 * A stdio server that fails at once, saying for each variable whether its env holds the value expected
 * (known to it by hash only), so Test tells what the server was started with.
 */
const checker = (expected: Record<string, string>) => ({
  command: process.execPath,
  args: [
    "-e",
    `const want = ${JSON.stringify(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, sha(v)])))};
     const sha = (t) => new Bun.CryptoHasher("sha256").update(t).digest("hex");
     console.error(Object.entries(want).map(([k, v]) => k + (sha(process.env[k] ?? "") === v ? " right" : " wrong")).join(" "));
     process.exit(3)`,
  ],
  startupTimeoutMs: 5000,
});

const put = (id: string, json: unknown) => server.api(`/api/mcp/servers/${id}`, { method: "PUT", json });
const tested = async (id: string) =>
  (await server.api(`/api/mcp/servers/${id}/test`, { method: "POST" })).body as { ok: boolean; error: string };

test("changing a server's args or adding a variable keeps the stored values left as keep; a left-out name is removed", async () => {
  const s = await addServer(server, {
    name: "checker",
    transport: "stdio",
    ...checker({ API_TOKEN: "env-secret-1111", LOG_LEVEL: "info" }),
    env: { API_TOKEN: "env-secret-1111", LOG_LEVEL: "info" },
  });
  expect((await tested(s.id)).error).toContain("API_TOKEN right LOG_LEVEL right");

  // New args, no env in the body: both stored values stay.
  const edited = await put(s.id, { description: "renamed", ...checker({ API_TOKEN: "env-secret-1111" }) });
  expect(edited.status).toBe(200);
  expect(edited.body.envKeys).toEqual(["API_TOKEN", "LOG_LEVEL"]);
  expect((await tested(s.id)).error).toContain("API_TOKEN right");

  // One more variable: the secret is kept by name, another replaced, a third added.
  const added = await put(s.id, {
    ...checker({ API_TOKEN: "env-secret-1111", LOG_LEVEL: "debug", EXTRA: "x-3" }),
    env: { API_TOKEN: { keep: true }, LOG_LEVEL: "debug", EXTRA: "x-3" },
  });
  expect(added.status).toBe(200);
  expect(added.body.envKeys).toEqual(["API_TOKEN", "EXTRA", "LOG_LEVEL"]);
  expect(JSON.stringify(added.body)).not.toContain("env-secret-1111");
  expect((await tested(s.id)).error).toContain("API_TOKEN right LOG_LEVEL right EXTRA right");

  // A name left out of the map is removed; the kept ones still hold their values.
  const removed = await put(s.id, {
    ...checker({ API_TOKEN: "env-secret-1111", EXTRA: "x-3" }),
    env: { API_TOKEN: { keep: true }, EXTRA: { keep: true } },
  });
  expect(removed.body.envKeys).toEqual(["API_TOKEN", "EXTRA"]);
  expect((await tested(s.id)).error).toContain("API_TOKEN right EXTRA right");
});

test("adding a header keeps the stored ones sent as keep, whatever the case of their name", async () => {
  const url = `http://127.0.0.1:${http.port}/mcp`;
  const s = await addServer(server, {
    name: "remote",
    transport: "http",
    url,
    headers: { Authorization: "Bearer hdr-secret-2222", "X-Tenant": "acme" },
    startupTimeoutMs: 3000,
  });
  const r = await put(s.id, {
    url: `${url}?v=2`,
    headers: { authorization: { keep: true }, "X-Tenant": { keep: true }, "X-Extra": "more" },
  });
  expect(r.status).toBe(200);
  expect(r.body.headerNames).toEqual(["X-Extra", "X-Tenant", "authorization"]);
  seen = [];
  expect((await tested(s.id)).ok).toBe(false);
  const sent = seen.at(0);
  expect(sent?.get("authorization")).toBe("Bearer hdr-secret-2222");
  expect(sent?.get("x-tenant")).toBe("acme");
  expect(sent?.get("x-extra")).toBe("more");
});

test("a keep for a name with nothing stored, or a secret entry of another shape, is a 422 naming the entry", async () => {
  const s = await addServer(server, {
    name: "shapes",
    transport: "stdio",
    ...checker({}),
    env: { API_TOKEN: "env-secret-3333" },
  });
  const cases: [unknown, string][] = [
    [{ env: { API_TOKEN: { keep: false } } }, "env.API_TOKEN"],
    [{ env: { API_TOKEN: { value: "x" } } }, "env.API_TOKEN"],
    [{ env: { API_TOKEN: { keep: true, value: "x" } } }, "env.API_TOKEN"],
    [{ env: { API_TOKEN: 5 } }, "env.API_TOKEN"],
    [{ env: { API_TOKEN: { keep: true }, NEW_ONE: { keep: true } } }, "env.NEW_ONE"],
    [{ headers: { "X-Key": null } }, "headers.X-Key"],
    [{ headers: { "X-Key": { keep: true } } }, "headers.X-Key"],
  ];
  for (const [json, path] of cases) {
    const r = await put(s.id, json);
    expect({ json, status: r.status }).toEqual({ json, status: 422 });
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toEqual([path]);
  }
  // A new server has nothing stored to keep.
  const created = await server.api("/api/mcp/servers", {
    method: "POST",
    json: { name: "fresh", transport: "stdio", command: "x", env: { A: { keep: true } } },
  });
  expect(created.status).toBe(422);
  expect(created.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["env.A"]);
  // Nothing was changed by the refused edits.
  expect((await server.api(`/api/mcp/servers/${s.id}`)).body.envKeys).toEqual(["API_TOKEN"]);
});
