import { afterAll, beforeAll, expect, test } from "bun:test";
import { login, run, screenText, startUi, type UiEnv } from "./support";

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

const rowsText = (page: UiEnv["page"]) => screenText(page);

test("the sticky Ctrl key turns the next typed letter into a control key", async () => {
  const { page } = env;
  await run(page, "sleep 300");
  await page.getByRole("button", { name: "Ctrl", exact: true }).tap();
  expect(await page.getByRole("button", { name: "Ctrl", exact: true }).getAttribute("aria-pressed")).toBe("true");
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type("c");
  expect(await page.getByRole("button", { name: "Ctrl", exact: true }).getAttribute("aria-pressed")).toBe("false");
  // Only a shell whose sleep was interrupted runs the next command.
  await run(page, "echo after-$((1+1))-interrupt");
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("after-2-interrupt"));
  expect(await rowsText(page)).toContain("^C");
}, 30_000);

test("search finds earlier output and the menu offers the session's actions", async () => {
  const { page } = env;
  await page.getByRole("button", { name: "Menu" }).tap();
  await env.shot("07-terminal-menu");
  await page.getByRole("button", { name: "Search" }).tap();
  await page.getByPlaceholder("Text to find").fill("hi-from-42");
  await page.getByPlaceholder("Text to find").press("Enter");
  await page.locator(".search-hits button", { hasText: "hi-from-42" }).first().waitFor();
  await env.shot("08-terminal-search");
  await page.locator(".search-hits button", { hasText: "hi-from-42" }).first().tap();
  await page.locator(".sheet").waitFor({ state: "detached" });
}, 30_000);

test("stop ends the process and restart brings the terminal back live", async () => {
  const { page } = env;
  await page.getByRole("button", { name: "Menu" }).tap();
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Stop" }).tap();
  await page.locator('[data-status="exited"]').waitFor();
  await page.getByText("Stopped by you").waitFor();
  await env.shot("09-terminal-exited");
  await page.locator(".exited-bar").getByRole("button", { name: "Restart" }).tap();
  await page.locator('[data-status="running"]').waitFor();
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await run(page, "echo back-$((2*3))");
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("back-6"));
}, 45_000);
