import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../harness";
import { contrastOf, gitCommitAll, login, startUi, type UiEnv } from "./support";

// More of what a newcomer meets at 390×844: ended sessions, a repository without a remote, an empty card.
let env: UiEnv;
let ended: string;
const work = mkdtempSync(join(tmpdir(), "od-ui-second-look-"));

beforeAll(async () => {
  writeFileSync(join(work, "notes.md"), "# Notes\n");
  gitCommitAll(work);
  env = await startUi();
  // A shell that prints and ends on its own (no profile: nothing to wait for before it exits).
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: {
      name: "finished",
      cwd: work,
      sessionType: "terminal",
      extraArgs: ["-c", "echo findme-$((40+2)); echo all done"],
    },
  });
  expect(created.status).toBe(201);
  ended = created.body.id;
  await waitFor(
    async () => (await env.server.api(`/api/sessions/${ended}`)).body.exitedAt !== null,
    "the shell to end",
    30_000,
    100,
  );
  await login(env);
}, 120_000);

afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Collects the page's uncaught errors and 4xx/5xx answers while `run` goes. */
async function watched(run: () => Promise<void>) {
  const { page } = env;
  const problems: string[] = [];
  const onError = (e: Error) => problems.push(`uncaught: ${e.message}`);
  const onResponse = (r: { status(): number; url(): string }) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`);
  };
  page.on("pageerror", onError);
  page.on("response", onResponse);
  try {
    await run();
  } finally {
    page.off("pageerror", onError);
    page.off("response", onResponse);
  }
  return problems;
}

test("the pull requests panel for a repository without a remote says so and how to add one", async () => {
  const { page } = env;
  const problems = await watched(async () => {
    await page.goto(`${env.appUrl}/panels/forge`);
    const said = page.locator(".forge-panel .no-remote");
    await said.waitFor({ timeout: 10_000 });
    expect(await said.textContent()).toContain("no origin remote");
    expect(await said.textContent()).toContain("git remote add origin");
    expect((await said.locator(".error").boundingBox())?.x).toBeGreaterThanOrEqual(8);
    await env.shot("second-look-forge-no-remote");
    expect(await page.getByText("Loading…").count()).toBe(0);
  });
  // The one refusal is the server's own answer for the missing remote; nothing escapes the page.
  expect(problems.filter((p) => !p.startsWith("404 /api/forge/prs"))).toEqual([]);
});

test("opening and searching an ended session asks nothing the server refuses", async () => {
  const { page } = env;
  const problems = await watched(async () => {
    await page.goto(`${env.appUrl}/s/${ended}`);
    await page.locator('.transcript-term[data-loaded="true"]').first().waitFor();
    await page.getByRole("button", { name: "Menu" }).tap();
    await page.getByRole("button", { name: "Search" }).tap();
    await page.getByPlaceholder("Text to find").fill("findme-42");
    await page.getByPlaceholder("Text to find").press("Enter");
    await page.locator(".search-hits button", { hasText: "findme-42" }).first().waitFor({ timeout: 5000 });
    await page.waitForLoadState("networkidle");
    await env.shot("second-look-ended-search");
    await page.getByRole("button", { name: "Close" }).tap();
  });
  expect(problems).toEqual([]);
});

test("an ended session's card reads at 4.5:1 and still looks ended", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/`);
  const card = page.locator(`[data-session-id="${ended}"]`);
  await card.locator(".session-last").waitFor();
  await env.shot("second-look-ended-card");
  for (const part of [".session-name", ".session-cwd", ".session-last", ".badge", ".session-time"]) {
    const ratio = await card.locator(part).first().evaluate(contrastOf);
    expect({ part, ok: ratio >= 4.5 }).toEqual({ part, ok: true });
  }
  // Told apart from a live card by more than its badge.
  const look = (sel: string) =>
    page.locator(sel).evaluate((el) => {
      const cs = getComputedStyle(el);
      return `${cs.backgroundColor} ${cs.borderStyle}`;
    });
  const live = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "not started", cwd: work, autoStart: false },
  });
  try {
    await page.reload();
    const other = page.locator(`[data-session-id="${live.body.id}"]`);
    await other.waitFor();
    expect(await look(`[data-session-id="${ended}"]`)).not.toBe(await look(`[data-session-id="${live.body.id}"]`));
  } finally {
    await env.server.api(`/api/sessions/${live.body.id}`, { method: "DELETE" });
  }
});

test("the Claude accounts card with no accounts puts its form right under the heading", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings`);
  const card = page.locator('[data-section="claude-accounts"]');
  const heading = await card.getByRole("heading", { name: "Claude accounts" }).boundingBox();
  const field = await card.getByText("Name", { exact: true }).boundingBox();
  await env.shot("second-look-accounts-card");
  expect(heading && field).toBeTruthy();
  if (!heading || !field) return;
  // The card's own 14 px gap between its parts, not an empty list's margins on top of it.
  expect(field.y - (heading.y + heading.height)).toBeLessThan(20);
});

test("in Chinese, the panels page and the launcher name and describe the plugins in Chinese", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/`);
  await page.evaluate(() => localStorage.setItem("opendray.locale", "zh-CN"));
  try {
    await page.goto(`${env.appUrl}/panels`);
    const forge = page.locator('[data-panel="forge"]');
    await forge.locator(".panel-name", { hasText: "代码托管平台" }).waitFor({ timeout: 10_000 });
    expect(await forge.locator(".panel-desc").textContent()).toContain("拉取请求");
    await env.shot("second-look-panels-zh");
    await page.goto(`${env.appUrl}/new`);
    await page.locator('[data-agent="terminal"] .agent-name', { hasText: "终端" }).waitFor({ timeout: 10_000 });
  } finally {
    await page.evaluate(() => localStorage.removeItem("opendray.locale"));
  }
});
