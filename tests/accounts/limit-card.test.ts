import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../harness";
import { CLAUDE_KEY, useInstalledClis, writeAgentConfigs } from "../plugins/agent-home";
import { AgentScreen, closeScreens } from "../plugins/screen";
import { type AnthropicModelStub, startAnthropicModel } from "../stubs/model-anthropic";
import { login, startUi, type UiEnv } from "../ui/support";

const TOKEN_A = "sk-ant-oat01-card-work-000000000000000000000000000000";
const TOKEN_B = "sk-ant-oat01-card-personal-1111111111111111111111111111";
let env: UiEnv;
let anthropic: AnthropicModelStub;
const project = mkdtempSync(join(tmpdir(), "accounts-card-"));

beforeAll(async () => {
  useInstalledClis();
  // account A is over its limit for the whole test
  anthropic = startAnthropicModel(undefined, ({ bearer }) =>
    bearer !== TOKEN_A
      ? null
      : Response.json(
          { type: "error", error: { type: "rate_limit_error", message: "This request would exceed your rate limit." } },
          {
            status: 429,
            headers: {
              "anthropic-ratelimit-unified-status": "rejected",
              "anthropic-ratelimit-unified-reset": String(Math.floor(Date.now() / 1000) + 2 * 3600),
              "anthropic-ratelimit-unified-representative-claim": "five_hour",
            },
          },
        ),
  );
  writeAgentConfigs(process.env.HOME as string, { openai: "http://127.0.0.1:9" }, project);
  env = await startUi({
    env: { CLAUDE_FAILOVER: "false", DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
  });
  const r = await env.server.api("/api/providers/claude/config", {
    method: "PUT",
    json: { values: { authType: "custom", apiKey: CLAUDE_KEY, baseUrl: anthropic.url } },
  });
  expect(r.status).toBe(200);
  await login(env);
}, 120_000);

afterAll(async () => {
  await env?.close();
  anthropic?.stop();
  closeScreens();
  rmSync(project, { recursive: true, force: true });
});

test("with failover off, a limited session shows a card on the phone: wait keeps it away on reload and on a second phone, switch moves the session", async () => {
  const { page, server } = env;
  const add = async (name: string, token: string) =>
    (await server.api("/api/claude-accounts", { method: "POST", json: { name, token } })).body.id as string;
  const work = await add("work", TOKEN_A);
  const personal = await add("personal", TOKEN_B);
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: project, claudeAccountId: work, cols: 100, rows: 30 },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const screen = new AgentScreen(server.url, id, server.token, 0);
  await screen.opened();
  const first = await screen.waitFor(
    (s) => s.includes("trust this folder") || s.includes("for shortcuts"),
    "Claude Code to start",
  );
  if (first.includes("trust this folder")) {
    screen.type("\r");
    await screen.waitForText("for shortcuts");
  }
  await screen.submit("ask-kiwi");
  await screen.waitForText("You've hit your session limit");
  screen.close();

  await page.goto(`${env.appUrl}/s/${id}`);
  const card = page.getByTestId("limit-card");
  await card.waitFor({ timeout: 20_000 });
  expect(await card.textContent()).toContain("work hit its usage limit");
  const switchButton = card.getByRole("button", { name: "Switch to personal" });
  const wait = card.getByRole("button", { name: "Wait" });
  expect(await switchButton.isVisible()).toBe(true);
  expect(await wait.isVisible()).toBe(true);
  // both buttons are on the phone's screen, not under the key bar
  for (const b of [switchButton, wait]) {
    const box = await b.boundingBox();
    expect(box && box.y + box.height <= 844 && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  }
  await env.shot("limit-card");
  await wait.tap();
  await card.waitFor({ state: "hidden" });
  // the session stayed where it was
  expect((await server.api(`/api/sessions/${id}`)).body.claudeAccountId).toBe(work);
  // the choice is the server's: it is for this limit of work's
  const limitedUntil = (await server.api(`/api/claude-accounts/${work}`)).body.limitedUntil;
  expect(limitedUntil).toBeTruthy();
  expect((await server.api(`/api/sessions/${id}/limit-wait`)).body).toEqual({ accountId: work, until: limitedUntil });

  // a reload does not bring the card back, past the card's next look at the accounts
  await page.reload();
  await page.locator(".xterm").first().waitFor({ timeout: 20_000 });
  await Bun.sleep(6000);
  expect(await card.count()).toBe(0);
  // nor does the same session opened on a second phone
  const second = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const other = await second.newPage();
  await login({ ...env, page: other });
  await other.goto(`${env.appUrl}/s/${id}`);
  await other.locator(".xterm").first().waitFor({ timeout: 20_000 });
  await Bun.sleep(6000);
  expect(await other.getByTestId("limit-card").count()).toBe(0);
  await second.close();

  // waiting was for that session: another session on work still offers the switch
  const next = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: project, claudeAccountId: work, cols: 100, rows: 30 },
  });
  expect(next.status).toBe(201);
  await page.goto(`${env.appUrl}/s/${next.body.id}`);
  await card.waitFor({ timeout: 20_000 });
  await card.getByRole("button", { name: "Switch to personal" }).tap();
  const moved = await waitFor(
    async () => {
      const s = (await server.api(`/api/sessions/${next.body.id}`)).body;
      return s.claudeAccountId === personal && s.status !== "exited" ? s : null;
    },
    "the session to move to personal",
    30_000,
  );
  expect(moved.pid).not.toBe(next.body.pid);
  await card.waitFor({ state: "hidden" });
}, 180_000);

test("waiting is refused with a clear message when the session's account is not at a limit", async () => {
  const { server } = env;
  const personal = ((await server.api("/api/claude-accounts")).body.accounts as { id: string; name: string }[]).find(
    (a) => a.name === "personal",
  )?.id;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "claude", cwd: project, claudeAccountId: personal, cols: 100, rows: 30 },
  });
  expect(created.status).toBe(201);
  const r = await server.api(`/api/sessions/${created.body.id}/limit-wait`, { method: "POST" });
  expect(r.status).toBe(409);
  expect(r.body.error.message).toContain('"personal" is not at a usage limit');
  expect((await server.api(`/api/sessions/${created.body.id}/limit-wait`)).body).toEqual({
    accountId: null,
    until: null,
  });
  const missing = await server.api("/api/sessions/00000000-0000-0000-0000-000000000000/limit-wait");
  expect(missing.status).toBe(404);
  await server.api(`/api/sessions/${created.body.id}`, { method: "DELETE" });
});
