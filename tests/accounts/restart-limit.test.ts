import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { CLAUDE_KEY, useInstalledClis, writeAgentConfigs } from "../plugins/agent-home";
import { AgentScreen, closeScreens } from "../plugins/screen";
import { type AnthropicModelStub, startAnthropicModel } from "../stubs/model-anthropic";

const TOKEN_WORK = "sk-ant-oat01-restart-work-00000000000000000000000000";
const TOKEN_SPARE = "sk-ant-oat01-restart-spare-1111111111111111111111111";
let server: TestServer;
let anthropic: AnthropicModelStub;
const project = mkdtempSync(join(tmpdir(), "accounts-restart-"));
const screens: AgentScreen[] = [];
/** While set, the work account's requests wait for it, then get Claude's usage-limit refusal. */
let held: Promise<void> | null = null;
let release = () => {};
/** The session the first test leaves at work's limit. */
let limitedId = "";

const refusal = () =>
  Response.json(
    { type: "error", error: { type: "rate_limit_error", message: "This request would exceed your rate limit." } },
    {
      status: 429,
      headers: {
        "anthropic-ratelimit-unified-status": "rejected",
        "anthropic-ratelimit-unified-reset": String(Math.floor(Date.now() / 1000) + 2 * 3600),
        "anthropic-ratelimit-unified-representative-claim": "five_hour",
      },
    },
  );

beforeAll(async () => {
  useInstalledClis();
  anthropic = startAnthropicModel(undefined, async ({ bearer, body }) => {
    if (bearer !== TOKEN_WORK || !held || !body.tools?.length) return null;
    await held;
    return refusal();
  });
  writeAgentConfigs(process.env.HOME as string, { openai: "http://127.0.0.1:9" }, project);
  server = await startServer({
    env: { CLAUDE_FAILOVER: "false", DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
  });
  const r = await server.api("/api/providers/claude/config", {
    method: "PUT",
    json: { values: { authType: "custom", apiKey: CLAUDE_KEY, baseUrl: anthropic.url } },
  });
  expect(r.status).toBe(200);
}, 120_000);

afterAll(async () => {
  for (const s of screens) s.close();
  release();
  await server?.stop();
  anthropic?.stop();
  closeScreens();
  rmSync(project, { recursive: true, force: true });
});

async function attach(id: string, since = 0) {
  const screen = new AgentScreen(server.url, id, server.token, since);
  screens.push(screen);
  await screen.opened();
  return screen;
}

type Account = { id: string; name: string; limitedUntil: string | null };
const account = async (name: string) =>
  ((await server.api("/api/claude-accounts")).body.accounts as Account[]).find((a) => a.name === name);

test("a limit banner Claude prints while a restarted server is still replaying the screen is seen", async () => {
  for (const [name, token] of [
    ["work", TOKEN_WORK],
    ["spare", TOKEN_SPARE],
  ])
    expect((await server.api("/api/claude-accounts", { method: "POST", json: { name, token } })).status).toBe(201);
  const work = (await server.api("/api/claude-accounts")).body.accounts.find((a: Account) => a.name === "work").id;
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: project, claudeAccountId: work, cols: 120, rows: 40 },
  });
  expect(r.status).toBe(201);
  const id = r.body.id;
  const screen = await attach(id);
  const first = await screen.waitFor(
    (s) => s.includes("trust this folder") || s.includes("for shortcuts"),
    "Claude Code to start",
  );
  if (first.includes("trust this folder")) {
    screen.type("\r");
    await screen.waitForText("for shortcuts");
  }
  // the turn is under way (Claude's spinner keeps drawing) when the server goes away
  held = new Promise((resolve) => {
    release = resolve;
  });
  await screen.submit("ask-plum");
  await waitFor(() => anthropic.log.mentioning("ask-plum").length > 0, "the turn to reach the model");
  screen.close();
  await server.kill9();
  await server.restart();
  // the answer comes back as the server is re-reading the screen: Claude prints its banner into the replay
  release();
  const limited = await waitFor(
    async () => {
      const a = await account("work");
      return a?.limitedUntil ? a : null;
    },
    "the work account to be marked limited",
    30_000,
  );
  expect(Math.abs(Date.parse(limited.limitedUntil ?? "") - (Date.now() + 2 * 3600_000))).toBeLessThan(120_000);
  const again = await attach(id, 0);
  expect(await again.waitForText("You've hit your session limit")).toContain("resets");
  // failover is off: the session stayed where it was
  const after = (await server.api(`/api/sessions/${id}`)).body;
  expect(after.claudeAccountId).toBe(work);
  expect(after.pid).toBe(r.body.pid);
  expect((await account("spare"))?.limitedUntil).toBeNull();
  limitedId = id;
}, 180_000);

test("waiting out the limit is remembered across a server restart, and ends when the account is removed", async () => {
  expect(limitedId).not.toBe("");
  const work = await account("work");
  const workId = work?.id;
  const chosen = await server.api(`/api/sessions/${limitedId}/limit-wait`, { method: "POST" });
  expect(chosen.status).toBe(200);
  expect(chosen.body).toEqual({ accountId: workId, until: work?.limitedUntil });

  await server.kill9();
  await server.restart();
  expect((await server.api(`/api/sessions/${limitedId}/limit-wait`)).body).toEqual({
    accountId: workId,
    until: work?.limitedUntil,
  });

  expect((await server.api(`/api/claude-accounts/${workId}`, { method: "DELETE" })).status).toBe(200);
  const none = { accountId: null, until: null };
  expect((await server.api(`/api/sessions/${limitedId}/limit-wait`)).body).toEqual(none);
  await server.kill9();
  await server.restart();
  expect((await server.api(`/api/sessions/${limitedId}/limit-wait`)).body).toEqual(none);
}, 120_000);
