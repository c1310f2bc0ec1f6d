import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { ForgeStub } from "../stubs/forge-common";
import { startGithubStub } from "../stubs/forge-github";
import { login, startUi, type UiEnv } from "./support";

// Settings → Plugins at 390×844: panels switched off and on, a panel's settings set through its form.
let env: UiEnv;
let forge: ForgeStub;
let sessionId: string;
const repo = mkdtempSync(join(tmpdir(), "od-ui-plugins-"));
const pluginDir = mkdtempSync(join(tmpdir(), "od-ui-plugin-dir-"));
const TOKEN = "docs-secret-5521";

/** Moves inside the app the way its links do (no page load), so what the page holds in memory is what shows. */
const goInside = (page: Page, path: string) =>
  page.evaluate((p) => {
    history.pushState(null, "", p);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);

beforeAll(async () => {
  forge = startGithubStub({ owner: "acme", repo: "widgets", token: TOKEN });
  Bun.spawnSync(["git", "init", "-q", "-b", "main"], { cwd: repo });
  // A user's plugin whose manifest is broken: the page lists it with the reason.
  mkdirSync(join(pluginDir, "broken"));
  writeFileSync(
    join(pluginDir, "broken", "manifest.json"),
    JSON.stringify({ name: "broken", kind: "panel", displayName: "Broken", version: "1.0.0", icon: 7 }),
  );
  env = await startUi({ env: { PLUGIN_DIR: pluginDir } });
  const made = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "widgets", cwd: repo, autoStart: false },
  });
  sessionId = made.body.id;
  await login(env);
}, 180_000);

afterAll(async () => {
  await env?.close();
  forge?.stop();
  rmSync(repo, { recursive: true, force: true });
  rmSync(pluginDir, { recursive: true, force: true });
});

test("Settings → Plugins lists every panel and agent with its state; switching the git panel off hides its tab at once and its routes answer 404, on brings both back", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${sessionId}/files`);
  await page.locator('.session-tab[data-tab="changes"]').waitFor();
  expect((await env.server.api(`/api/sessions/${sessionId}/changes`)).status).toBe(200);

  await goInside(page, "/settings");
  await page.getByRole("link", { name: "Turn agents and panels on or off, and set them up…" }).tap();
  await page.getByRole("heading", { name: "Plugins" }).waitFor();
  for (const name of ["git", "docs", "pg", "forge", "claude", "terminal"])
    await page.locator(`[data-plugin="${name}"]`).waitFor();
  const git = page.locator('[data-plugin="git"]');
  expect(await git.getByTestId("plugin-state").textContent()).toBe("Enabled");
  // An agent says whether its CLI is here; a required one cannot be switched off.
  expect(await page.locator('[data-plugin="claude"]').getByTestId("plugin-state").textContent()).toMatch(
    /^Enabled · (installed|not installed) · required$/,
  );
  expect(await page.getByLabel("Claude Code enabled").isDisabled()).toBe(true);
  const broken = await page.getByTestId("plugin-errors").textContent();
  expect(broken).toContain(join("broken", "manifest.json"));
  expect(broken).toContain("icon");
  await env.shot("plugins-01-list");

  await page.getByLabel("Git Viewer enabled").tap();
  await page.locator('[data-plugin="git"][data-enabled="false"]').waitFor();
  expect(await git.getByTestId("plugin-state").textContent()).toBe("Disabled");
  expect((await env.server.api(`/api/sessions/${sessionId}/changes`)).status).toBe(404);
  await goInside(page, `/s/${sessionId}/files`);
  await page.locator('.session-tab[data-tab="files"]').waitFor();
  expect(await page.locator('.session-tab[data-tab="changes"]').count()).toBe(0);
  // Still off after a reload: the server keeps it.
  await page.goto(`${env.appUrl}/settings/plugins`);
  await page.locator('[data-plugin="git"][data-enabled="false"]').waitFor();

  await page.getByLabel("Git Viewer enabled").tap();
  await page.locator('[data-plugin="git"][data-enabled="true"]').waitFor();
  expect((await env.server.api(`/api/sessions/${sessionId}/changes`)).status).toBe(200);
  await goInside(page, `/s/${sessionId}/files`);
  await page.locator('.session-tab[data-tab="changes"]').waitFor();
}, 90_000);

test("switching the docs panel off takes it out of the panels menu and the session's tabs, on puts it back", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings/plugins`);
  await page.getByLabel("Docs Reader enabled").tap();
  await page.locator('[data-plugin="docs"][data-enabled="false"]').waitFor();
  expect((await env.server.api("/api/forge/docs/tree")).status).toBe(404);
  await goInside(page, "/panels");
  await page.locator('[data-panel="pg"]').waitFor();
  expect(await page.locator('[data-panel="docs"]').count()).toBe(0);
  await goInside(page, `/s/${sessionId}/files`);
  await page.locator('.session-tab[data-tab="files"]').waitFor();
  expect(await page.locator('.session-tab[data-tab="docs"]').count()).toBe(0);

  await goInside(page, "/settings/plugins");
  await page.getByLabel("Docs Reader enabled").tap();
  await page.locator('[data-plugin="docs"][data-enabled="true"]').waitFor();
  await goInside(page, "/panels");
  await page.locator('[data-panel="docs"]').waitFor();
  await goInside(page, `/s/${sessionId}/files`);
  await page.locator('.session-tab[data-tab="docs"]').waitFor();
}, 60_000);

test("the docs panel's 'set the Repository first' links to its settings; the repository and token set there make it read the notes; a refused value shows under its field", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/panels/docs`);
  await page.getByText("Set the docs panel's Repository (owner/name) first.").waitFor();
  await page.getByRole("link", { name: "Open this panel's settings ›" }).tap();
  await page.waitForURL(/\/settings\/plugins#docs$/);
  const form = page.getByTestId("config-docs");
  await form.waitFor();

  // A value the server refuses (a forge it does not know, as a form from an older server might send) is
  // named under its own field, and nothing is saved.
  await form.locator("#plugin-docs-forgeType").evaluate((el) => {
    const o = document.createElement("option");
    o.value = o.textContent = "svn";
    el.append(o);
  });
  await form.getByLabel("Forge", { exact: true }).selectOption("svn");
  await form.getByLabel("Repository (owner/name)").fill("acme/widgets");
  await form.getByRole("button", { name: "Save" }).tap();
  const fieldError = form.locator('.field-error[data-field="forgeType"]');
  await fieldError.waitFor();
  expect(await fieldError.textContent()).toBe('must be one of "github", "gitea", "gitlab"');
  expect((await env.server.api("/api/providers/docs/config")).body.values.repo).toBeNull();
  await env.shot("plugins-02-field-error");

  await form.getByLabel("Forge", { exact: true }).selectOption("github");
  await form.getByLabel("Base URL").fill(forge.url);
  await form.getByLabel("Access token", { exact: true }).fill(TOKEN);
  await form.getByRole("button", { name: "Save" }).tap();
  await form.getByRole("status").getByText("Saved.").waitFor();
  expect(await fieldError.count()).toBe(0);
  // The token is write-only: the field is empty again and says it is stored; the page never holds it.
  const token = form.getByLabel("Access token", { exact: true });
  expect(await token.inputValue()).toBe("");
  expect(await token.getAttribute("placeholder")).toBe("stored — leave blank to keep");
  expect(await page.content()).not.toContain(TOKEN);
  await env.shot("plugins-03-docs-saved");

  await goInside(page, "/panels/docs");
  await page.getByRole("button", { name: "docs/guide.md" }).waitFor();
  expect(await page.locator(".docs-panel .hint").first().textContent()).toContain("acme/widgets · main · 3 notes");

  // Saving again with the token left blank keeps it.
  await page.goto(`${env.appUrl}/settings/plugins#docs`);
  await page.getByTestId("config-docs").getByLabel("Branch").fill("main");
  await page.getByTestId("config-docs").getByRole("button", { name: "Save" }).tap();
  await page.getByTestId("config-docs").getByRole("status").waitFor();
  expect((await env.server.api("/api/forge/docs/tree")).body.files).toContain("docs/guide.md");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}, 90_000);

test("a stored token has a Clear button: tapping it unsets the token, keeps what is typed in the other fields, and the button goes", async () => {
  const { page } = env;
  expect((await env.server.api("/api/providers/docs/config")).body.values.token).toBe("__set__");
  await page.goto(`${env.appUrl}/settings/plugins#docs`);
  const form = page.getByTestId("config-docs");
  const clear = form.getByRole("button", { name: "Clear Access token" });
  await clear.waitFor();
  // An edit not yet saved, which clearing the token must not throw away.
  await form.getByLabel("Branch").fill("release");
  await env.shot("plugins-04-token-stored");
  await clear.tap();
  await form.getByRole("status").getByText("Access token cleared.").waitFor();
  expect((await env.server.api("/api/providers/docs/config")).body.values.token).toBe("");
  expect(await form.getByLabel("Access token", { exact: true }).getAttribute("placeholder")).toBe("not set");
  expect(await clear.count()).toBe(0);
  expect(await form.getByLabel("Branch").inputValue()).toBe("release");
  expect((await env.server.api("/api/providers/docs/config")).body.values.branch).toBe("main");
  await env.shot("plugins-05-token-cleared");
  // Still unset after a reload: the server holds no token.
  await page.reload();
  await page.getByTestId("config-docs").getByLabel("Access token", { exact: true }).waitFor();
  expect(
    await page.getByTestId("config-docs").getByLabel("Access token", { exact: true }).getAttribute("placeholder"),
  ).toBe("not set");
  expect(await page.getByTestId("config-docs").getByRole("button", { name: "Clear Access token" }).count()).toBe(0);
}, 60_000);
