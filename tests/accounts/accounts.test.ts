import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opendray } from "../cli/cli";
import { startServer, type TestServer } from "../harness";
import { useInstalledClis } from "../plugins/agent-home";

const SECRET = "sk-ant-oat01-never-shown-2222222222222222222222222222";
let server: TestServer;
const project = mkdtempSync(join(tmpdir(), "accounts-crud-"));

beforeAll(async () => {
  useInstalledClis();
  // the original's layout: ~/.claude-accounts/tokens/<name>.token, plain or a credentials JSON
  const tokens = join(process.env.HOME as string, ".claude-accounts", "tokens");
  mkdirSync(tokens, { recursive: true });
  writeFileSync(join(tokens, "laptop.token"), `${SECRET}-laptop\n`);
  writeFileSync(join(tokens, "desk.token"), JSON.stringify({ claudeAiOauth: { accessToken: `${SECRET}-desk` } }));
  writeFileSync(join(tokens, "empty.token"), "");
  server = await startServer({ env: { LOG_LEVEL: "debug" } });
});
afterAll(async () => {
  await server?.stop();
});

const post = (json: unknown) => server.api("/api/claude-accounts", { method: "POST", json });

describe("Claude accounts API", () => {
  test("an account is added with a token that is never shown again", async () => {
    const r = await post({ name: "work", displayName: "Work (Max)", token: SECRET });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: "work",
      displayName: "Work (Max)",
      kind: "token",
      enabled: true,
      tokenFilled: true,
    });
    const all = [
      await server.api("/api/claude-accounts"),
      await server.api(`/api/claude-accounts/${r.body.id}`),
      await server.api(`/api/claude-accounts/${r.body.id}`, { method: "PUT", json: { displayName: "Work" } }),
    ];
    for (const x of all) {
      expect(x.status).toBe(200);
      expect(JSON.stringify(x.body)).not.toContain("sk-ant");
    }
    expect(all[2]?.body.displayName).toBe("Work");
  });

  test("bad names and duplicates are refused, naming the field", async () => {
    const bad = await post({ name: "Work Account" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe("name");
    const dup = await post({ name: "work" });
    expect(dup.status).toBe(409);
  });

  test("a tokenless or disabled account cannot start a session: 422 naming it", async () => {
    const empty = await post({ name: "spare" });
    expect(empty.status).toBe(201);
    expect(empty.body.tokenFilled).toBe(false);
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: empty.body.id },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.issues[0].path).toBe("claudeAccountId");
    expect(r.body.error.message).toContain('"spare" has no token');

    const filled = await server.api(`/api/claude-accounts/${empty.body.id}/token`, {
      method: "PUT",
      json: { token: `${SECRET}-spare` },
    });
    expect(filled.body).toEqual({ tokenFilled: true });
    const off = await server.api(`/api/claude-accounts/${empty.body.id}/toggle`, { method: "PATCH" });
    expect(off.body.enabled).toBe(false);
    const again = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: empty.body.id },
    });
    expect(again.status).toBe(422);
    expect(again.body.error.message).toContain('"spare" is disabled');
    const unknown = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe("claudeAccountId");
    // nothing half-made is left behind
    expect((await server.api("/api/sessions")).body).toEqual([]);
  });

  test("import-local brings in the host's token files once and skips the unusable", async () => {
    const r = await server.api("/api/claude-accounts/import-local", { method: "POST" });
    expect(r.body).toEqual({ imported: 2, skipped: 1 });
    const again = await server.api("/api/claude-accounts/import-local", { method: "POST" });
    expect(again.body).toEqual({ imported: 0, skipped: 3 });
    const names = (await server.api("/api/claude-accounts")).body.accounts.map((a: { name: string }) => a.name);
    expect(new Set(names)).toEqual(new Set(["work", "spare", "desk", "laptop"]));
  });

  test("a deleted account is gone", async () => {
    const spare = (await server.api("/api/claude-accounts")).body.accounts.find(
      (a: { name: string }) => a.name === "spare",
    );
    expect((await server.api(`/api/claude-accounts/${spare.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await server.api(`/api/claude-accounts/${spare.id}`)).status).toBe(404);
  });

  test("sign-in from the phone: Claude's own login shows its URL; a bad code is refused with 400", async () => {
    const start = await server.api("/api/claude-accounts/oauth/start", { method: "POST", json: { name: "phone" } });
    expect(start.status).toBe(200);
    expect(start.body.flowId).toMatch(/^[0-9a-f-]{36}$/);
    const url = new URL(start.body.authorizationUrl);
    expect(url.origin + url.pathname).toBe("https://claude.com/cai/oauth/authorize");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(start.body.expiresInSec).toBe(600);
    // no network here: the CLI's code exchange fails as a wrong code would
    const bad = await server.api(`/api/claude-accounts/oauth/${start.body.flowId}/complete`, {
      method: "POST",
      json: { code: "not-a-real-code#state" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("sign-in failed");
    // the flow is over: neither complete nor cancel knows it any more, and no account was made
    const gone = await server.api(`/api/claude-accounts/oauth/${start.body.flowId}/cancel`, { method: "POST" });
    expect(gone.status).toBe(404);
    const names = (await server.api("/api/claude-accounts")).body.accounts.map((a: { name: string }) => a.name);
    expect(names).not.toContain("phone");
  }, 60_000);

  test("a sign-in can be cancelled, and at most five run at once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await server.api("/api/claude-accounts/oauth/start", { method: "POST" });
      expect(r.status).toBe(200);
      ids.push(r.body.flowId);
    }
    const sixth = await server.api("/api/claude-accounts/oauth/start", { method: "POST" });
    expect(sixth.status).toBe(429);
    for (const id of ids) {
      const c = await server.api(`/api/claude-accounts/oauth/${id}/cancel`, { method: "POST" });
      expect(c.body).toEqual({ status: "cancelled" });
    }
    const after = await server.api("/api/claude-accounts/oauth/start", { method: "POST" });
    expect(after.status).toBe(200);
    await server.api(`/api/claude-accounts/oauth/${after.body.flowId}/cancel`, { method: "POST" });
  }, 120_000);

  test("no token in the server's logs or in the database (a dump holds sealed values only)", async () => {
    expect(server.logs()).not.toContain("sk-ant-oat01");
    const file = join(server.home, "..", "dump.sql");
    const dump = await opendray(["db", "dump", "--output", file], { OPENDRAY_HOME: server.home });
    expect(dump.code, dump.stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("claude_accounts");
    expect(text).toContain("v1:");
    expect(text).not.toContain("sk-ant-oat01");
  });
});
