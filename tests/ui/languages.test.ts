import { afterAll, beforeAll, expect, test } from "bun:test";
import { waitFor } from "../harness";
import { startUi, type UiEnv } from "./support";

let env: UiEnv;
beforeAll(async () => {
  env = await startUi({ locale: "zh-CN" });
}, 120_000);
afterAll(async () => {
  await env?.close();
});

test("a Chinese browser sees the login page and the session list in Chinese", async () => {
  const { page, server } = env;
  await server.api("/api/sessions", { method: "POST", json: { name: "构建", cwd: server.home, autoStart: false } });
  await page.goto(`${env.appUrl}/`);
  await page.waitForURL(/\/login$/);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
  await page.getByLabel("用户名").fill(server.username);
  await page.getByLabel("密码").fill(server.password);
  await env.shot("90-login-zh");
  await page.getByRole("button", { name: "登录" }).tap();

  await page.getByRole("heading", { name: "会话" }).waitFor();
  const item = page.locator(".session-item", { hasText: "构建" });
  await item.waitFor();
  expect(await item.locator(".session-time").textContent()).toMatch(/^(刚刚|\d+ 分钟前)$/);
  await expect(page.getByRole("link", { name: "新建会话" }).count()).resolves.toBe(1);
  expect(await page.locator("body").textContent()).not.toMatch(/\b(Sessions|Settings|just now|ago)\b/);
  await env.shot("91-sessions-zh");
}, 60_000);

test("switching to English in Settings changes the page at once and survives a reload", async () => {
  const { page } = env;
  await page.getByRole("link", { name: "设置" }).tap();
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await env.shot("92-settings-zh");
  // A reload would drop this marker.
  await page.evaluate(() => Object.assign(window, { stillSamePage: true }));
  await page.getByLabel("语言", { exact: true }).selectOption("en");

  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  expect(await page.evaluate(() => (window as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
  await env.shot("93-settings-en");

  expect((await env.server.api("/api/ui/locale")).body).toEqual({ locale: "en" });
  const bad = await env.server.api("/api/ui/locale", { method: "PUT", json: { locale: "fr" } });
  expect(bad.status).toBe(422);
  expect(bad.body.error.issues[0].path).toBe("locale");

  await page.reload();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  expect(await page.getByLabel("Language", { exact: true }).inputValue()).toBe("en");
  await page.getByRole("link", { name: "Back" }).tap();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
  expect(await page.locator(".session-item .session-time").first().textContent()).toMatch(/^(just now|\d+m ago)$/);

  // Another Chinese phone of the same user gets the choice once signed in.
  const other = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    locale: "zh-CN",
  });
  const phone = await other.newPage();
  await phone.goto(`${env.appUrl}/login`);
  await phone.getByLabel("用户名").fill(env.server.username);
  await phone.getByLabel("密码").fill(env.server.password);
  await phone.getByRole("button", { name: "登录" }).tap();
  await phone.getByRole("heading", { name: "Sessions" }).waitFor();
  expect(await phone.evaluate(() => document.documentElement.lang)).toBe("en");
  await other.close();

  // Back to the browser's language: Chinese again.
  await page.goto(`${env.appUrl}/settings`);
  await page.getByLabel("Language", { exact: true }).selectOption("auto");
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await waitFor(
    async () => (await env.server.api("/api/ui/locale")).body.locale === null,
    "the server's choice cleared",
  );
}, 60_000);

test("the launcher and the terminal's menu are in Chinese too", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.getByRole("heading", { name: "新建会话" }).waitFor();
  await page.getByLabel("工作目录").fill(env.server.home);
  await env.shot("94-launcher-zh");
  await page.getByRole("button", { name: /^启动 / }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "菜单" }).tap();
  await page.getByRole("button", { name: "复制文本" }).waitFor();
  await env.shot("95-terminal-menu-zh");
}, 60_000);

test("Settings → MCP servers and its add form are in Chinese, the server's name still code", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings`);
  await page.getByRole("link", { name: "供每个智能体会话使用的工具…" }).tap();
  await page.getByRole("heading", { name: "MCP 服务器" }).waitFor();
  await page.getByText("还没有 MCP 服务器。").waitFor();
  expect(await page.locator(".page-intro code").allTextContents()).toEqual(["opendray", "server__tool"]);
  await page.getByRole("button", { name: "添加服务器" }).tap();
  await page.getByLabel("命令", { exact: true }).waitFor();
  await page.getByRole("button", { name: "+ 添加变量" }).tap();
  await page.getByLabel("变量 1").waitFor();
  expect(await page.locator("select[name=transport] option").allTextContents()).toContain("stdio：一条命令");
  expect(await page.locator("main").textContent()).not.toMatch(/\b(Name|Command|Agents|Timeouts|Add server|Tools)\b/);
  await env.shot("96-mcp-servers-zh");
}, 60_000);
