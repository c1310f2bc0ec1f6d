import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { waitFor } from "../harness";
import { ARTIFACTS, login, startUi, type UiEnv } from "./support";

// The first-hour walls one by one, at 390×844. The server listens beyond loopback for the plain-HTTP push case.
const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let env: UiEnv;
beforeAll(async () => {
  env = await startUi({
    env: { IDLE_THRESHOLD_SECONDS: "2", JWT_SECRET: "a-test-secret-that-is-long-enough-for-jwt-0123456789" },
    listenHost: "0.0.0.0",
  });
  await login(env);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const terminalConfig = async () => {
  const list = (await env.server.api("/api/providers?kind=agent")).body as { name: string; config?: object }[];
  return (list.find((p) => p.name === "terminal")?.config ?? {}) as Record<string, unknown>;
};
const session = async (id: string) => (await env.server.api(`/api/sessions/${id}`)).body;

/** A Terminal session made through the API at a given size, typed into once its shell is at its prompt. */
async function shell(size = { cols: 60, rows: 20 }) {
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd: env.server.home, ...size },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await waitFor(async () => /[$#] *$/.test((await session(id)).lastLine), "the shell's prompt", 90_000, 200);
  await Bun.sleep(500);
  return id;
}
const type = (id: string, input: string) =>
  env.server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input } });

test("a launch that fails keeps the shell the user had, says which field is wrong, and options reset to defaults", async () => {
  const { page } = env;
  const before = (await terminalConfig()).command;
  expect(before).not.toBe("sh");
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="terminal"]').tap();
  await page.getByLabel("Shell").selectOption("sh");
  await page.getByLabel("Working directory").fill("relative/dir");
  await page.getByRole("button", { name: /^Start / }).tap();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  const said = await alert.textContent();
  expect(said).toBe("Working directory: an absolute path (/…) or one under the home directory (~/…).");
  await env.shot("40-launch-invalid-cwd");
  expect((await terminalConfig()).command).toBe(before);

  // A folder that does not exist fails on the server: the choice is not kept either.
  await page.getByLabel("Working directory").fill("/no/such/folder/here");
  await page.getByRole("button", { name: /^Start / }).tap();
  await waitFor(async () => (await alert.textContent()) !== said, "the server's answer");
  expect(await alert.textContent()).toBe("Working directory: there is no folder /no/such/folder/here on the server.");
  expect((await terminalConfig()).command).toBe(before);
  await env.shot("41-launch-missing-folder");

  // A choice that was saved (as a successful launch saves it) goes back to the default from the launcher.
  await env.server.api("/api/providers/terminal/config", { method: "PUT", json: { values: { command: "sh" } } });
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="terminal"]').tap();
  expect(await page.getByLabel("Shell").inputValue()).toBe("sh");
  await page.getByRole("button", { name: "More options" }).tap();
  await page.getByLabel("Reset an agent's options to defaults").selectOption("terminal");
  await page.getByRole("button", { name: "Reset to defaults" }).tap();
  await page.getByText("Terminal is back to its default options.").waitFor();
  expect((await terminalConfig()).command).toBe(before);
  await waitFor(async () => (await page.getByLabel("Shell").inputValue()) === "auto", "the launcher to show auto");
  await env.shot("42-launcher-reset");
}, 60_000);

test("cards show when a session was last active and sort by it; a waiting card shows the question and its buttons", async () => {
  const { page, server } = env;
  const older = await shell();
  const newer = await shell();
  writeFileSync(
    join(server.home, "menu.sh"),
    "printf 'Which approach?\\n1. Rewrite the parser\\n2. Leave it\\n'; read -r a; echo \"picked=$a\"\n",
  );
  const asking = await shell();
  await waitFor(async () => (await session(newer)).status === "idle", "the newer shell to go idle");

  // Typing into the older session makes it the latest one.
  const typed = Date.now();
  await type(older, "echo touched\r");
  await waitFor(async () => Date.parse((await session(older)).lastActiveAt) >= typed - 50, "lastActiveAt to move");
  await type(asking, "sh menu.sh\r");
  await waitFor(async () => (await session(asking)).status === "waiting", "the menu to be a prompt");
  await waitFor(async () => (await session(older)).status === "idle", "the older shell to go idle again");

  await page.goto(`${env.appUrl}/`);
  const card = page.locator(`.session-item[data-session-id="${asking}"]`);
  await card.locator('[data-status="waiting"]').waitFor();
  const order = await page
    .locator(".session-item")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-session-id")));
  expect(order.indexOf(asking)).toBe(0);
  expect(order.indexOf(older)).toBeLessThan(order.indexOf(newer));
  expect(await page.locator(`.session-item[data-session-id="${older}"] .session-time`).textContent()).toBe("just now");

  // The card asks the question, not the menu's last line, with the answers as buttons.
  const prompt = page.locator(`.session-prompt[data-session-id="${asking}"]`);
  await prompt.getByText("Which approach?").waitFor();
  expect(await card.locator(".session-last").count()).toBe(0);
  expect(await prompt.getByText("2. Leave it").count()).toBe(0);
  await env.shot("43-sessions-waiting-card");
  await prompt.getByRole("button", { name: "Leave it" }).tap();
  const screen = async () =>
    ((await env.server.api(`/api/sessions/${asking}/screen`)).body.lines as string[]).join("\n");
  await waitFor(async () => (await screen()).includes("picked=2"), "the answer to reach the shell");
  await prompt.waitFor({ state: "detached" });
}, 180_000);

test("a stopped session opens as a read-only transcript at the width it ran with", async () => {
  const { page } = env;
  const id = await shell({ cols: 120, rows: 24 });
  await type(id, "head -c 110 /dev/zero | tr '\\0' W; echo '|wide-end'\r");
  await waitFor(async () => (await session(id)).lastLine.length > 0 && (await session(id)).cursor > 0, "output");
  await waitFor(async () => (await session(id)).status === "idle", "the line to be printed");
  await env.server.api(`/api/sessions/${id}/stop`, { method: "POST" });

  await page.goto(`${env.appUrl}/s/${id}`);
  await page.locator('[data-testid="transcript"] .transcript-term[data-loaded="true"]').waitFor();
  await page.getByText("Stopped by you.").waitFor();
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the rows apart
  const rows = (await page.locator(".transcript .xterm-rows").innerText()).split("\n");
  // On one row, as on the 120-column terminal, not wrapped to the phone's ~45 columns.
  expect(rows.some((r) => r.includes(`${"W".repeat(110)}|wide-end`))).toBe(true);
  const scrolls = await page
    .locator(".transcript")
    .evaluate((el) => el.scrollWidth > el.clientWidth || el.querySelector(".xterm")!.scrollWidth > innerWidth);
  expect(scrolls).toBe(true);
  expect(await page.getByRole("button", { name: "Enter" }).count()).toBe(0);
  await env.shot("44-transcript-own-width");

  // A folder outside git has nothing to diff: an empty state, not a red error.
  await page.goto(`${env.appUrl}/s/${id}/diff`);
  await page.getByTestId("diff-empty").waitFor();
  expect(await page.locator(".error").count()).toBe(0);
  await env.shot("45-diff-not-git");

  // A deep link (as a notification opens it) after the login expired comes back to the session.
  await page.evaluate(() => localStorage.removeItem("opendray.token"));
  await page.goto(`${env.appUrl}/s/${id}`);
  await page.waitForURL(new RegExp(`/login\\?next=%2Fs%2F${id}$`));
  await page.getByLabel("Username").fill(env.server.username);
  await page.getByLabel("Password").fill(env.server.password);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.locator('[data-testid="transcript"] .transcript-term[data-loaded="true"]').waitFor();
  expect(new URL(page.url()).pathname).toBe(`/s/${id}`);
}, 150_000);

test("a sign-in link cut short says so in a sentence, not the schema's words", async () => {
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`${env.appUrl}/login#code=abc`);
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toBe(
    "This sign-in link is incomplete. Copy the whole link the server printed, or sign in with your password.",
  );
  await page.screenshot({ path: join(ARTIFACTS, "47-login-short-code.png") });
  await context.close();
}, 30_000);

test("over plain HTTP on a network address, the push switch says it needs HTTPS instead of hanging", async () => {
  if (!lan) throw new Error("this machine has no non-loopback IPv4 address");
  const context = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const url = `http://${lan}:${env.server.port}`;
  await page.goto(`${url}/login`);
  await page.getByLabel("Username").fill(env.server.username);
  await page.getByLabel("Password").fill(env.server.password);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
  await page.goto(`${url}/settings`);
  const hint = page.getByTestId("push-insecure");
  await hint.waitFor();
  expect(await hint.textContent()).toContain("HTTPS");
  expect(await hint.textContent()).toContain(`${lan}:${env.server.port}`);
  expect(await page.getByLabel(/Notify me/).count()).toBe(0);
  await hint.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, "48-push-insecure.png") });
  await context.close();

  // On loopback the page is a secure context: the switch itself is there.
  await env.page.goto(`${env.appUrl}/settings`);
  await env.page.getByLabel(/Notify me/).waitFor();
  expect(await env.page.getByTestId("push-insecure").count()).toBe(0);
}, 60_000);

test("the password changes without retyping the username; the fields carry the autocomplete a password manager needs", async () => {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/settings`);
  const current = page.getByLabel("Current password");
  await current.waitFor();
  const auto = (label: string) => page.getByLabel(label, { exact: true }).getAttribute("autocomplete");
  expect(await current.getAttribute("autocomplete")).toBe("current-password");
  expect(await auto("New username (leave empty to keep yours)")).toBe("username");
  expect(await auto("New password")).toBe("new-password");
  expect(await auto("Repeat new password")).toBe("new-password");
  await page.getByText("At least 8 characters.").waitFor();

  await current.fill(server.password);
  await page.getByLabel("New password", { exact: true }).fill("seven77");
  expect(await page.locator("#password-rule").getAttribute("class")).toContain("bad");
  await page.getByLabel("New password", { exact: true }).fill("a-new-passphrase");
  expect(await page.locator("#password-rule").getAttribute("class")).not.toContain("bad");
  await page.getByLabel("Repeat new password").fill("a-new-passphrase");
  await page.getByRole("button", { name: "Change password" }).tap();
  await page.getByText("Password changed.").waitFor();
  await env.shot("46-password-changed");
  const signIn = await server.api("/api/auth/login", {
    method: "POST",
    json: { username: server.username, password: "a-new-passphrase" },
  });
  expect(signIn.status).toBe(200);

  // The login form too: the username and the current password.
  await page.evaluate(() => localStorage.removeItem("opendray.token"));
  await page.goto(`${env.appUrl}/login`);
  expect(await page.getByLabel("Username").getAttribute("autocomplete")).toBe("username");
  expect(await page.getByLabel("Password").getAttribute("autocomplete")).toBe("current-password");
}, 60_000);
