import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { waitFor } from "../harness";
import { ARTIFACTS, launchTerminal, login, run, startUi, type UiEnv } from "./support";

let env: UiEnv;
let desk: BrowserContext;
let deskPage: Page;
beforeAll(async () => {
  env = await startUi();
  await login(env);
  desk = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  deskPage = await desk.newPage();
  await deskPage.goto(`${env.appUrl}/login`);
  await deskPage.getByLabel("Username").fill(env.server.username);
  await deskPage.getByLabel("Password").fill(env.server.password);
  await deskPage.getByRole("button", { name: "Sign in" }).click();
  await deskPage.getByRole("heading", { name: "Sessions" }).waitFor();
}, 120_000);
afterAll(async () => {
  await desk?.close();
  await env?.close();
});

const ptySize = async (id: string) => {
  const s = (await env.server.api(`/api/sessions/${id}`)).body as { cols: number; rows: number };
  return { cols: s.cols, rows: s.rows };
};
const owner = (page: Page) => page.getByTestId("terminal").getAttribute("data-owner");

test("a phone and a desktop share one session: the one that typed last sets the size, the other offers to fit", async () => {
  const { page } = env;
  const id = await launchTerminal(env);
  await run(page, "echo phone-here");
  await waitFor(async () => (await ptySize(id)).cols < 60, "the PTY sized for the phone");
  const phone = await ptySize(id);

  // The desktop attaches: it renders the phone's size instead of taking the PTY over.
  await deskPage.goto(`${env.appUrl}/s/${id}`);
  await deskPage.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await deskPage.getByTestId("size-banner").waitFor();
  expect(await deskPage.getByTestId("size-banner").textContent()).toContain("Sized for another device");
  expect(await ptySize(id)).toEqual(phone);
  expect(await owner(page)).toBe("yes");

  // Typing on the desktop moves the size to it; the phone now shows the wide screen as it is.
  await deskPage.locator(".xterm-helper-textarea").focus();
  await deskPage.keyboard.type("top -d 1\r");
  await waitFor(async () => (await ptySize(id)).cols > 100, "the PTY sized for the desktop");
  await deskPage.getByTestId("size-banner").waitFor({ state: "detached" });
  await page.getByTestId("size-banner").waitFor();
  const wide = await ptySize(id);
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("load average"));
  // The phone does not reflow the wide screen: it scrolls sideways over all of the PTY's columns.
  const scroll = await page
    .getByTestId("terminal")
    .evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scroll.scrollWidth).toBeGreaterThan(scroll.clientWidth * 1.5);
  const topRow = await page.locator(".xterm-rows > div").first().textContent();
  expect(topRow).toMatch(/^top - .*load average/);
  await env.shot("40-phone-sized-for-desktop");
  await deskPage.screenshot({ path: join(ARTIFACTS, "41-desktop-owns-size.png") });
  expect((await ptySize(id)).cols).toBe(wide.cols);

  // "Fit here" gives the size back to the phone; top redraws for it.
  await page.getByRole("button", { name: "Fit here" }).tap();
  await waitFor(async () => (await ptySize(id)).cols === phone.cols, "the PTY back at the phone's size");
  await page.getByTestId("size-banner").waitFor({ state: "detached" });
  await deskPage.getByTestId("size-banner").waitFor();
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("load average"));
  await env.shot("42-phone-fit-here");
  await deskPage.screenshot({ path: join(ARTIFACTS, "43-desktop-sized-for-phone.png") });

  // Typing on the phone keeps the size with the phone (it already owns it).
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type("q");
  await run(page, "stty size");
  await page.waitForFunction(
    (size) => document.querySelector(".xterm-rows")?.textContent?.includes(size),
    `${phone.rows} ${phone.cols}`,
  );
}, 90_000);

test("on a desktop the session list and the open session are side by side", async () => {
  const id = (await env.server.api("/api/sessions")).body[0].id as string;
  await deskPage.goto(`${env.appUrl}/s/${id}`);
  await deskPage.locator('[data-testid="connection"][data-state="open"]').waitFor();
  const list = await deskPage.locator(".split-list").boundingBox();
  const main = await deskPage.locator(".split-main").boundingBox();
  expect(list && main && list.x + list.width <= main.x + 1).toBe(true);
  expect(list?.width).toBeLessThanOrEqual(380);
  await deskPage.locator(`.split-list .session-item[data-session-id="${id}"]`).waitFor();
  await deskPage.screenshot({ path: join(ARTIFACTS, "44-desktop-split.png") });
}, 30_000);
