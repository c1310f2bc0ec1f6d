import { afterAll, beforeAll, expect, test } from "bun:test";
import { login, screenText, startUi, type UiEnv } from "./support";

let env: UiEnv;
beforeAll(async () => {
  env = await startUi();
}, 120_000);
afterAll(async () => {
  await env?.close();
});

test("log in, launch a terminal and run a command with the key bar's Enter", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/`);
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await env.shot("01-login");
  await login(env);
  await env.shot("02-sessions-empty");

  await page.getByRole("link", { name: "New session" }).tap();
  await page.getByLabel("Working directory").fill(env.server.home);
  await env.shot("03-launcher");
  await page.getByRole("button", { name: /^Start / }).tap();

  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type("echo hi-from-$((6*7))");
  await page.getByRole("button", { name: "Enter" }).tap();
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("hi-from-42"));
  expect(await screenText(page)).toContain("hi-from-42");
  await env.shot("04-terminal");
}, 60_000);
