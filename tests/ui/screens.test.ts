import { expect, test } from "bun:test";
import { waitFor } from "../harness";
import { useLoggedInUi } from "./support";

const env = useLoggedInUi();

async function createSession(name: string, input?: string) {
  const { server } = env;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { name, cwd: server.home, cols: 60, rows: 20 },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (input) await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input } });
  return id;
}

test("the sessions list shows each session's status, last line and age", async () => {
  const { page, server } = env;
  const done = await createSession("build", "exit 3\r");
  await createSession("tests", "echo all-green; sleep 600\r");
  await waitFor(
    async () => (await server.api(`/api/sessions/${done}`)).body.status === "exited",
    "the first session to exit",
  );

  await page.goto(`${env.appUrl}/`);
  const exited = page.locator(`[data-session-id="${done}"]`);
  await exited.getByText("exited 3").waitFor();
  const running = page.locator(".session-item", { hasText: "tests" });
  await running.getByText("all-green").waitFor({ timeout: 15_000 });
  // Live sessions come before ended ones.
  const names = await page.locator(".session-item .session-name").allTextContents();
  expect(names.indexOf("tests")).toBeLessThan(names.indexOf("build"));
  await env.shot("10-sessions");
}, 60_000);

test("the launcher lists the agents with their options", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="terminal"]').waitFor();
  await env.shot("11-launcher-agents");
  const claude = page.locator('[data-agent="claude"]');
  if ((await claude.count()) && (await claude.isEnabled())) {
    await claude.tap();
    await page.getByLabel("Model").waitFor();
    await env.shot("12-launcher-claude");
  }
}, 30_000);

test("settings show the server version and the account form", async () => {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/settings`);
  const version = (await server.api("/api/health")).body.version as string;
  await page.getByTestId("version").getByText(version).waitFor();
  await page.getByRole("button", { name: "Change password" }).waitFor();
  await env.shot("13-settings");
}, 30_000);

test("the app follows the system's dark theme", async () => {
  const { page } = env;
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${env.appUrl}/`);
  await page.locator(".session-item").first().waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe("rgb(17, 19, 23)");
  await env.shot("14-sessions-dark");
  await page.emulateMedia({ colorScheme: "light" });
}, 30_000);

test("offline, the installed app still opens and shows the last known sessions", async () => {
  const { page, context } = env;
  await page.goto(`${env.appUrl}/`);
  await page.locator(".session-item").first().waitFor();
  // The service worker takes control once it has cached the app shell.
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 20_000 });
  await context.setOffline(true);
  try {
    await page.reload();
    await page.getByText("Offline — showing the last known list").waitFor();
    expect(await page.locator(".session-item").count()).toBeGreaterThanOrEqual(2);
    await env.shot("15-sessions-offline");
  } finally {
    await context.setOffline(false);
  }
}, 45_000);
