import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ROOT, startServer, type TestServer, waitFor } from "../harness";
import { freshClone, startCommand } from "../server/fresh-clone";
import { BotApiStub } from "../stubs/bot-api";
import { launchChromium, phonePage, run, screenText } from "./support";

// A newcomer's first hour: a fresh clone, the README's start line, a phone-sized browser.
const SHOTS = join(ROOT, "test-artifacts", "first-hour");
const TOKEN = "424242:AAFirstHourTestTokenForTheStub_0123";
const CHAT = 5150;

let clone: string;
let server: TestServer;
let browser: Browser;
let page: Page;
let bot: BotApiStub;
const work = mkdtempSync(join(tmpdir(), "od-walk-"));
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  bot = new BotApiStub().start();
  bot.addBot(TOKEN);
  clone = freshClone();
  server = await startServer({
    command: await startCommand(clone),
    cwd: clone,
    env: { ADMIN_USERNAME: "", ADMIN_PASSWORD: "", OPENDRAY_TELEGRAM_API_ROOT: bot.url, IDLE_THRESHOLD_SECONDS: "2" },
  });
  browser = await launchChromium();
  ({ page } = await phonePage(browser));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await bot?.stop();
  if (clone) rmSync(join(clone, ".."), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test("the start line serves the app, and the one-time link leads to creating the account", async () => {
  // The first start builds the app while it already answers; the page reloads itself until it is there.
  const link = await waitFor(() => /\/login#code=\S+/.exec(server.logs())?.[0], "the one-time link", 60_000);
  await page.goto(`${server.url}${link}`);
  await page.getByRole("heading", { name: "Settings" }).waitFor({ timeout: 120_000 });
  expect(await page.content()).not.toContain("has not been built");
  await page.getByText("No account yet").waitFor();
  await page.getByText("At least 8 characters.").waitFor();
  await shot("01-create-account");
  await page.getByLabel("Username", { exact: true }).fill("ana");
  // The rule is there before submitting, and marks a password that is still too short.
  await page.getByLabel("New password", { exact: true }).fill("short");
  expect(await page.locator("#password-rule").getAttribute("class")).toContain("bad");
  await page.getByLabel("New password", { exact: true }).fill("a-long-passphrase");
  await page.getByLabel("Repeat new password").fill("a-long-passphrase");
  await page.getByRole("button", { name: "Create account" }).tap();
  await page.getByText("Account created. You are signed in as ana.").waitFor();
  await shot("02-account-created");
}, 180_000);

test("Terminal offers only installed shells; a session is typed into, stopped, and reopens as its transcript", async () => {
  await page.goto(`${server.url}/new`);
  await page.getByLabel("Shell").waitFor();
  const shells = await page.getByLabel("Shell").locator("option").allTextContents();
  expect(shells).not.toContain("zsh");
  expect(shells).not.toContain("fish");
  expect(shells).toContain("bash");
  await page.getByLabel("Working directory").fill(work);
  await shot("03-launcher");
  await page.getByRole("button", { name: /^Start / }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/")[2] as string;
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  // The login shell's profile finishes (it goes quiet at its prompt) before anything is typed.
  await waitFor(
    async () => (await server.api(`/api/sessions/${id}`, { headers: { authorization: "" } })).status === 401,
    "the API to need a token",
  );
  await page.waitForFunction(() => /[$#] *$/m.test(document.querySelector(".xterm-rows")?.textContent ?? ""), null, {
    timeout: 90_000,
  });
  await run(page, "echo walk-$((6*7))");
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("walk-42"));
  await shot("04-terminal-typed");

  await page.getByRole("button", { name: "Menu" }).tap();
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.accept();
  });
  await page.getByRole("button", { name: "Stop" }).tap();
  await page.getByText("Stopped by you.").waitFor();
  expect(asked).toContain("Stop this session?");
  await shot("05-stopped");

  await page.goto(`${server.url}/`);
  const card = page.locator(`[data-session-id="${id}"]`);
  await card.getByText("stopped").waitFor();
  await shot("06-sessions-stopped");
  await card.tap();
  await page.locator('[data-testid="transcript"] .transcript-term[data-loaded="true"]').waitFor();
  expect(await screenText(page)).toContain("walk-42");
  expect(await page.getByRole("button", { name: "Enter" }).count()).toBe(0);
  await shot("07-transcript");
}, 150_000);

test("a deep link after the login expired returns there; Telegram is set up from its settings page", async () => {
  await page.evaluate(() => localStorage.removeItem("opendray.token"));
  await page.goto(`${server.url}/settings/telegram`);
  await page.waitForURL(/\/login\?next=%2Fsettings%2Ftelegram$/);
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill("a-long-passphrase");
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: "Telegram" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/settings/telegram");
  await page.getByText("Not set up.").waitFor();
  await shot("08-telegram-empty");

  await page.getByLabel("Token from @BotFather").fill(TOKEN);
  await page.getByRole("button", { name: "Save token" }).tap();
  await page.getByText("Connected as @opendray_test_bot").waitFor({ timeout: 20_000 });
  // Someone writes to the bot; the chat shows up by name, to be allowed with one tap.
  bot.userSays(TOKEN, CHAT, "/whoami", { from: { first_name: "Ana", username: "ana_phone" } });
  await waitFor(async () => {
    await page.reload();
    await page.getByRole("heading", { name: "Telegram" }).waitFor();
    return (await page.getByLabel(/@ana_phone|Ana|Tester/).count()) > 0;
  }, "the chat to show up");
  await page.getByLabel(/@ana_phone|Ana|Tester/).check();
  await page.getByRole("button", { name: "Save allowed chats" }).tap();
  await page.getByText("Allowed chats saved.").waitFor();
  await page.getByText("answering 1 chat").waitFor();
  await page.getByRole("button", { name: "Send a test message" }).tap();
  await page.getByText(`Test message sent to ${CHAT}.`).waitFor();
  expect(bot.messages(CHAT).some((m) => m.from === "bot" && (m.text ?? "").includes("test message"))).toBe(true);
  await shot("09-telegram-saved");

  const status = await server.api("/api/telegram/status", {
    headers: { authorization: `Bearer ${await page.evaluate(() => localStorage.getItem("opendray.token"))}` },
  });
  expect(status.body.allowedChats).toEqual([String(CHAT)]);
}, 90_000);
