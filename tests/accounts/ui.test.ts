import { afterAll, beforeAll, expect, test } from "bun:test";
import { useInstalledClis } from "../plugins/agent-home";
import { login, startUi, type UiEnv } from "../ui/support";

let env: UiEnv;
beforeAll(async () => {
  useInstalledClis();
  env = await startUi();
  await login(env);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const TOKEN = "sk-ant-oat01-typed-on-the-phone-3333333333333333333333";

test("Settings → Claude accounts: an account added with a token is listed, its token never shown", async () => {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/settings`);
  const section = page.locator('[data-section="claude-accounts"]');
  await section.getByLabel("Name").fill("work");
  await section.getByLabel("Token (from claude setup-token)").fill(TOKEN);
  await section.getByRole("button", { name: "Add with token" }).click();
  await section.locator('[data-account="work"]').getByText("token").waitFor();
  expect(await page.content()).not.toContain(TOKEN);
  const accounts = (await server.api("/api/claude-accounts")).body.accounts;
  expect(accounts.map((a: { name: string; tokenFilled: boolean }) => [a.name, a.tokenFilled])).toEqual([
    ["work", true],
  ]);
}, 60_000);

test("the launcher offers the Claude account for a Claude session", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="claude"]').click();
  const picker = page.locator('select[name="claudeAccountId"]');
  await picker.waitFor();
  expect(await picker.locator("option").allTextContents()).toEqual(["Automatic", "work"]);
}, 60_000);
