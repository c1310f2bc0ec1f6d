import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../harness";
import { contrastOf, login, startUi, type UiEnv } from "./support";

// What a newcomer sees on a first look around, at 390×844: nothing stacked, stuck or pressed to the edge.
let env: UiEnv;
let sessionId: string;
const work = mkdtempSync(join(tmpdir(), "od-ui-first-look-"));

beforeAll(async () => {
  writeFileSync(join(work, "notes.md"), "# Notes\n");
  // Without the agent CLIs on PATH: the launcher shows them as still to install.
  env = await startUi({ env: { PATH: "/usr/bin:/bin" } });
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "look", cwd: work, autoStart: false },
  });
  expect(created.status).toBe(201);
  sessionId = created.body.id;
  await login(env);
}, 120_000);

afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

test("the Files tab's search field and its Name and Text buttons sit on one line", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${sessionId}/files`);
  const field = await page.getByLabel("Search files").boundingBox();
  const name = await page.getByRole("button", { name: "Name", exact: true }).boundingBox();
  const text = await page.getByRole("button", { name: "Text", exact: true }).boundingBox();
  await env.shot("first-look-files");
  expect(field && name && text).toBeTruthy();
  if (!field || !name || !text) return;
  // One row: the buttons beside the field, not under it.
  expect(Math.abs(name.y - field.y)).toBeLessThan(4);
  expect(Math.abs(text.y - field.y)).toBeLessThan(4);
  expect(name.x).toBeGreaterThan(field.x + field.width - 1);
  expect(text.x + text.width).toBeLessThanOrEqual(390);
});

test("a Files tab whose folder is gone says so inset from the screen's edge", async () => {
  const { page } = env;
  const gone = mkdtempSync(join(tmpdir(), "od-ui-first-look-gone-"));
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "gone", cwd: gone, autoStart: false },
  });
  expect(created.status).toBe(201);
  rmSync(gone, { recursive: true, force: true });
  await page.goto(`${env.appUrl}/s/${created.body.id}/files`);
  const error = page.locator(".workspace-page > .error");
  await error.waitFor();
  await env.shot("first-look-files-gone");
  expect((await error.boundingBox())?.x).toBeGreaterThanOrEqual(8);
  await env.server.api(`/api/sessions/${created.body.id}`, { method: "DELETE" });
});

test("the docs panel without a repository says what to set instead of loading forever", async () => {
  const { page } = env;
  const escaped: string[] = [];
  const onError = (e: Error) => escaped.push(e.message);
  page.on("pageerror", onError);
  try {
    await page.goto(`${env.appUrl}/panels/docs`);
    const error = page.locator(".docs-panel .error");
    await error.waitFor();
    expect(await error.textContent()).toContain("Repository");
    // Inset like the search field above it, not against the screen's edge.
    expect((await error.boundingBox())?.x).toBeGreaterThanOrEqual(8);
    await env.shot("first-look-docs-panel-unset");
    expect(await page.getByText("Loading…").count()).toBe(0);
    expect(escaped).toEqual([]);
  } finally {
    page.off("pageerror", onError);
  }
});

test("the launcher asks for no model list until an endpoint is picked", async () => {
  const { page } = env;
  // An enabled endpoint makes the launcher show its endpoint picker, which starts at "the agent's own".
  const added = await env.server.api("/api/llm-providers", {
    method: "POST",
    json: { name: "local", kind: "openai-compat", baseUrl: "http://127.0.0.1:9/v1" },
  });
  expect(added.status).toBe(201);
  const failed: string[] = [];
  const onResponse = (r: { status(): number; url(): string }) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  };
  page.on("response", onResponse);
  try {
    await page.goto(`${env.appUrl}/new`);
    await page.getByLabel("Model endpoint").waitFor();
    await page.waitForLoadState("networkidle");
    expect(failed).toEqual([]);
  } finally {
    page.off("response", onResponse);
    await env.server.api(`/api/llm-providers/${added.body.id}`, { method: "DELETE" });
  }
});

test("the model endpoints page's empty line and form line up with the card, not the screen's edge", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings/models`);
  const empty = page.getByText("No endpoints yet.");
  await empty.waitFor();
  const line = await empty.boundingBox();
  const heading = await page.getByRole("heading", { name: "Add an endpoint" }).boundingBox();
  const field = await page.getByLabel("Name", { exact: true }).boundingBox();
  await env.shot("first-look-model-endpoints");
  expect(line && heading && field).toBeTruthy();
  if (!line || !heading || !field) return;
  expect(line.x).toBeGreaterThanOrEqual(16);
  // The form's fields start where the card's heading does, like every other card in Settings.
  expect(Math.abs(field.x - heading.x)).toBeLessThan(2);
});

test("an agent still to install shows its install command readably", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  const hint = page.locator('[data-agent="claude"] .agent-hint');
  await hint.waitFor();
  expect(await hint.textContent()).toContain("npm i -g");
  await env.shot("first-look-launcher-install-hints");
  // WCAG AA for small text.
  expect(await hint.evaluate(contrastOf)).toBeGreaterThanOrEqual(4.5);
});

test("every kind of badge reads at 4.5:1, in the light theme and the dark", async () => {
  const { page } = env;
  // Each variant laid where it shows: the status ones on a session's card, "changed" on a session's tab.
  const variants = async (host: string, classes: string[]) =>
    page
      .locator(host)
      .first()
      .evaluate((el, list) => {
        const row = document.createElement("div");
        row.style.cssText = "display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px";
        el.append(row);
        for (const cls of list) {
          const badge = document.createElement("span");
          badge.className = cls;
          badge.dataset.probe = cls;
          badge.textContent = "badge";
          row.append(badge);
        }
      }, classes);
  const measure = async (classes: string[]) => {
    const seen: { badge: string; ok: boolean; ratio: string }[] = [];
    for (const cls of classes) {
      const ratio = await page.locator(`[data-probe="${cls}"]`).evaluate(contrastOf);
      seen.push({ badge: cls, ok: ratio >= 4.5, ratio: ratio.toFixed(2) });
    }
    return seen.filter((s) => !s.ok);
  };
  const status = ["badge", "badge badge-running", "badge badge-idle", "badge badge-waiting", "badge badge-exited"];
  try {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(`${env.appUrl}/`);
      // The card's own badge first, then one of each kind beside it.
      const own = page.locator(`[data-session-id="${sessionId}"] .badge`);
      await own.waitFor();
      // Read once the list has settled: the card is drawn first and its status can follow a moment later.
      let ratio = 0;
      await waitFor(
        async () => (ratio = await own.evaluate(contrastOf)) >= 4.5,
        `the ${colorScheme} badge at 4.5:1`,
        5_000,
      ).catch(() => {});
      const shown = await own.getAttribute("data-status");
      expect({ colorScheme, shown, ratio, own: ratio >= 4.5 }).toEqual({ colorScheme, shown, ratio, own: true });
      await variants(`[data-session-id="${sessionId}"] .session-main`, status);
      await env.shot(`first-look-badges-${colorScheme}`);
      expect({ colorScheme, low: await measure(status) }).toEqual({ colorScheme, low: [] });
      await page.goto(`${env.appUrl}/s/${sessionId}/files`);
      await variants(".workspace-page", ["badge-changed"]);
      expect({ colorScheme, low: await measure(["badge-changed"]) }).toEqual({ colorScheme, low: [] });
    }
  } finally {
    await page.emulateMedia({ colorScheme: null });
  }
});

test("the terminal's message field shows its whole hint at phone width", async () => {
  const { page } = env;
  const created = await env.server.api("/api/sessions", { method: "POST", json: { name: "typing", cwd: work } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  try {
    await page.goto(`${env.appUrl}/s/${id}`);
    const field = page.getByLabel("Message", { exact: true });
    await field.waitFor();
    await env.shot("first-look-compose");
    const fits = await field.evaluate((el) => {
      const input = el as HTMLInputElement;
      const cs = getComputedStyle(input);
      const ctx = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      return { text: input.placeholder, width: ctx.measureText(input.placeholder).width, room };
    });
    expect(fits.text.length).toBeGreaterThan(0);
    expect(fits.width).toBeLessThanOrEqual(fits.room);
  } finally {
    // The shell reaches its prompt before it is stopped (a login shell killed in its profile leaves a lock).
    await waitFor(
      async () => /[$#] *$/.test((await env.server.api(`/api/sessions/${id}`)).body.lastLine ?? ""),
      "the shell's prompt",
      90_000,
      200,
    );
    await env.server.api(`/api/sessions/${id}`, { method: "DELETE" });
  }
});

test("an ended session's Search and Copy text read its transcript", async () => {
  const { page } = env;
  const created = await env.server.api("/api/sessions", { method: "POST", json: { name: "ended", cwd: work } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const session = async () => (await env.server.api(`/api/sessions/${id}`)).body;
  const type = (input: string) => env.server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input } });
  await waitFor(async () => /[$#] *$/.test((await session()).lastLine ?? ""), "the shell's prompt", 90_000, 200);
  await type("echo findme-$((40+2))\r");
  await waitFor(
    async () => JSON.stringify((await env.server.api(`/api/sessions/${id}/screen`)).body).includes("findme-42"),
    "the echo on the screen",
    15_000,
    100,
  );
  await type("exit\r");
  await waitFor(async () => (await session()).status === "exited", "the shell to end", 15_000, 100);

  await page.goto(`${env.appUrl}/s/${id}`);
  await page.locator('.transcript-term[data-loaded="true"]').first().waitFor();
  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("button", { name: "Search" }).tap();
  await page.getByPlaceholder("Text to find").fill("findme-42");
  await page.getByPlaceholder("Text to find").press("Enter");
  const hit = page.locator(".search-hits button", { hasText: "findme-42" });
  await hit.first().waitFor({ timeout: 5000 });
  await env.shot("first-look-ended-search");
  await page.getByRole("button", { name: "Close" }).tap();

  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("button", { name: "Copy text" }).tap();
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the line breaks
  expect(await page.locator(".copy-text").innerText()).toContain("findme-42");
  await page.getByRole("button", { name: "Close" }).tap();
  await env.server.api(`/api/sessions/${id}`, { method: "DELETE" });
});

test("with the logs panel off, the Files tab offers no Logs button", async () => {
  const { page } = env;
  const toggle = (enabled: boolean) =>
    env.server.api("/api/providers/logs/toggle", { method: "PATCH", json: { enabled } });
  expect((await toggle(false)).status).toBe(200);
  try {
    await page.goto(`${env.appUrl}/s/${sessionId}/files`);
    await page.getByRole("button", { name: "notes.md" }).waitFor();
    await env.shot("first-look-files-logs-off");
    expect(await page.getByRole("button", { name: "Logs" }).count()).toBe(0);
  } finally {
    await toggle(true);
  }
  await page.goto(`${env.appUrl}/s/${sessionId}/files`);
  await page.getByRole("button", { name: "Logs" }).waitFor();
});

test("Logs in a Files tab whose folder is gone says why instead of failing silently", async () => {
  const { page } = env;
  const gone = mkdtempSync(join(tmpdir(), "od-ui-first-look-gone-"));
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "gone-logs", cwd: gone, autoStart: false },
  });
  rmSync(gone, { recursive: true, force: true });
  const escaped: string[] = [];
  const onError = (e: Error) => escaped.push(e.message);
  page.on("pageerror", onError);
  try {
    await page.goto(`${env.appUrl}/s/${created.body.id}/files`);
    await page.getByRole("button", { name: "Logs" }).tap();
    await page.locator(".workspace-page > .error").first().waitFor();
    await page.waitForTimeout(300);
    await env.shot("first-look-logs-gone");
    expect(await page.locator(".workspace-page > .error").count()).toBe(2);
    expect(escaped).toEqual([]);
  } finally {
    page.off("pageerror", onError);
    await env.server.api(`/api/sessions/${created.body.id}`, { method: "DELETE" });
  }
});

test("the Tasks tab of a deleted session says it is not found", async () => {
  const { page } = env;
  const created = await env.server.api("/api/sessions", {
    method: "POST",
    json: { name: "deleted", cwd: work, autoStart: false },
  });
  await env.server.api(`/api/sessions/${created.body.id}`, { method: "DELETE" });
  const escaped: string[] = [];
  const onError = (e: Error) => escaped.push(e.message);
  page.on("pageerror", onError);
  try {
    await page.goto(`${env.appUrl}/s/${created.body.id}/tasks`);
    const error = page.locator(".workspace-page > .error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Session not found.");
    expect(await page.getByText("No tasks found in this directory.").count()).toBe(0);
    expect(escaped).toEqual([]);
  } finally {
    page.off("pageerror", onError);
  }
});

test("a model endpoint name the form refuses says which characters it takes", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings/models`);
  const name = page.getByLabel("Name", { exact: true });
  await name.fill("Bad Name!");
  await page.getByRole("button", { name: "Add and probe" }).tap();
  // The browser's own bubble says the input's title after "Please match the requested format."
  const said = await name.evaluate((el) => ({
    invalid: !(el as HTMLInputElement).checkValidity(),
    title: (el as HTMLInputElement).title,
  }));
  expect(said.invalid).toBe(true);
  expect(said.title).toBe("1–48 lowercase letters, digits, _ or -");
});
