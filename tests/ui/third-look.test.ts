import { expect, test } from "bun:test";
import { waitFor } from "../harness";
import { useLoggedInUi } from "./support";

// A newcomer's first day on a phone (390×844), in the settings and panels that changed last.
const env = useLoggedInUi();

test("a Claude account's row shows its name apart from its state, with both buttons side by side", async () => {
  const { page, server } = env;
  const created = await server.api("/api/claude-accounts", { method: "POST", json: { name: "work" } });
  expect(created.status).toBe(201);
  try {
    await page.goto(`${env.appUrl}/settings`);
    const card = page.locator('[data-section="claude-accounts"]');
    const row = card.locator('[data-account="work"]');
    await row.waitFor();
    await row.scrollIntoViewIfNeeded();
    await env.shot("third-look-account-row");
    const box = async (el: ReturnType<typeof row.locator>) => {
      const b = await el.boundingBox();
      if (!b) throw new Error("not shown");
      return b;
    };
    const name = await box(row.getByText("work", { exact: true }));
    const state = await box(row.getByText("no token", { exact: true }));
    // Not run together as "workno token": below the name, or a space apart beside it.
    expect(state.y >= name.y + name.height - 1 || state.x >= name.x + name.width + 4).toBe(true);
    const disable = await box(row.getByRole("button", { name: "Disable" }));
    const remove = await box(row.getByRole("button", { name: "Remove" }));
    expect(Math.abs(disable.y - remove.y)).toBeLessThan(2);
    const inside = await box(card);
    for (const b of [disable, remove]) {
      expect(b.height).toBeGreaterThanOrEqual(40);
      expect(b.x + b.width).toBeLessThanOrEqual(inside.x + inside.width);
    }
    // A list of rows, not bullet points.
    expect(await row.evaluate((li) => getComputedStyle(li).listStyleType)).toBe("none");
  } finally {
    await server.api(`/api/claude-accounts/${created.body.id}`, { method: "DELETE" });
  }
});

test("in Chinese, Settings → Plugins names and describes each plugin in Chinese, as the panels page does", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/`);
  await page.evaluate(() => localStorage.setItem("opendray.locale", "zh-CN"));
  try {
    await page.goto(`${env.appUrl}/settings/plugins`);
    const pg = page.locator('[data-plugin="pg"]');
    await pg.locator("h3", { hasText: "PostgreSQL 浏览器" }).waitFor({ timeout: 10_000 });
    expect(await pg.locator("p.hint").first().textContent()).toContain("只读查询");
    await env.shot("third-look-plugins-zh");
    // The switch is named in Chinese too.
    expect(await page.getByLabel("启用 终端").count()).toBe(1);
  } finally {
    await page.evaluate(() => localStorage.removeItem("opendray.locale"));
  }
});

test("a PostgreSQL port that is not a number is refused beside the Port field, and the panel still opens", async () => {
  const { page, server } = env;
  const refused = await server.api("/api/providers/pg/config", { method: "PUT", json: { values: { port: "abc" } } });
  expect(refused.status).toBe(422);
  expect(refused.body.error.issues).toEqual([{ path: "values.port", message: "a whole number from 1 to 65535" }]);
  const json = await server.api("/api/providers/pg/config", {
    method: "PUT",
    json: { values: { connections: "[{not json" } },
  });
  expect(json.body.error.issues).toEqual([{ path: "values.connections", message: "not valid JSON" }]);

  // from another page: a link to one plugin's card opens it (the last test may have left us on this one)
  await page.goto(`${env.appUrl}/settings`);
  await page.goto(`${env.appUrl}/settings/plugins#pg`);
  const form = page.locator('[data-testid="config-pg"]');
  await form.waitFor();
  await form.getByLabel("Port", { exact: true }).fill("abc");
  await form.getByRole("button", { name: "Save" }).tap();
  const said = form.locator('.field-error[data-field="port"]');
  await said.waitFor();
  expect(await said.textContent()).toBe("a whole number from 1 to 65535");
  await env.shot("third-look-pg-bad-port");
  expect((await server.api("/api/providers/pg/config")).body.values.port).toBe("5432");

  // Nothing was stored, so the panel lists its connection instead of failing.
  const escaped: string[] = [];
  const onError = (e: Error) => escaped.push(e.message);
  page.on("pageerror", onError);
  try {
    await page.goto(`${env.appUrl}/panels/pg`);
    await page.locator(".pg-panel").waitFor();
    expect(await page.locator(".pg-panel .panel-bar .error").count()).toBe(0);
    expect(escaped).toEqual([]);
  } finally {
    page.off("pageerror", onError);
  }
});

test("renaming an MCP server to a taken name brings the refused name into view, under the top bar", async () => {
  const { page, server } = env;
  const made: string[] = [];
  for (const name of ["alpha", "beta"]) {
    const r = await server.api("/api/mcp/servers", {
      method: "POST",
      json: { name, transport: "stdio", command: "cat" },
    });
    expect(r.status).toBe(201);
    made.push(r.body.id);
  }
  try {
    await page.goto(`${env.appUrl}/settings/mcp`);
    const card = page.locator('[data-server="alpha"]');
    await card.getByRole("button", { name: "Edit" }).tap();
    await card.getByLabel("Name").fill("beta");
    // Save is at the foot of a form taller than the screen.
    const save = card.getByRole("button", { name: "Save", exact: true });
    await save.scrollIntoViewIfNeeded();
    await save.tap();
    const said = card.locator('.field-error[data-field="name"]');
    await said.waitFor();
    expect(await said.textContent()).toContain('named "beta"');
    await page.waitForTimeout(300);
    await env.shot("third-look-mcp-taken-name");
    const top = await page.locator(".topbar").boundingBox();
    const box = await said.boundingBox();
    expect(top && box).toBeTruthy();
    if (!top || !box) return;
    expect(box.y).toBeGreaterThanOrEqual(top.y + top.height);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("name");
  } finally {
    for (const id of made) await server.api(`/api/mcp/servers/${id}`, { method: "DELETE" });
  }
});

test("a preview link to a port the session does not serve says why, inset from the screen's edge", async () => {
  const { page, server } = env;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { name: "idle", cwd: server.home, autoStart: false },
  });
  expect(created.status).toBe(201);
  try {
    await page.goto(`${env.appUrl}/s/${created.body.id}/preview?port=5173&path=/app`);
    const said = page.locator(".preview-page > .error");
    await said.waitFor({ timeout: 10_000 });
    expect(await said.textContent()).toContain("5173");
    await env.shot("third-look-preview-refused");
    const box = await said.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(8);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390 - 8);
  } finally {
    await server.api(`/api/sessions/${created.body.id}`, { method: "DELETE" });
  }
});

test("the PostgreSQL settings keep the phone's width: the connections rule quoting JSON wraps inside its card", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings/plugins`);
  const card = page.locator('[data-plugin="pg"]');
  await card.getByRole("button", { name: "Settings ›" }).tap();
  const rule = card.locator('[data-field="connections"] .field-rule');
  await rule.scrollIntoViewIfNeeded();
  await env.shot("third-look-pg-settings-rule");
  const inside = await card.boundingBox();
  const box = await rule.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual((inside?.x ?? 0) + (inside?.width ?? 0));
  // Nothing wider than the screen to pan sideways to (which also slid the top bar out of sight).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a link to one plugin's settings opens its card with its name below the top bar", async () => {
  const { page } = env;
  // The pg panel's "Open this panel's settings" goes to /settings/plugins#pg.
  await page.goto(`${env.appUrl}/settings/plugins#pg`);
  const card = page.locator('[data-plugin="pg"]');
  await card.locator("form").waitFor();
  await page.waitForTimeout(300);
  await env.shot("third-look-plugin-link");
  const top = await page.locator(".topbar").boundingBox();
  const name = await card.locator("h3").boundingBox();
  expect(top && name).toBeTruthy();
  if (!top || !name) return;
  expect(name.y).toBeGreaterThanOrEqual(top.y + top.height);
  expect(name.y).toBeLessThan(top.y + top.height + 80);
});

test("an ended session's menu offers Restart, Copy text and Search, not Paste, Preview or Reconnect", async () => {
  const { page, server } = env;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { name: "done", cwd: server.home, sessionType: "terminal", extraArgs: ["-c", "echo over"] },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  try {
    await waitFor(async () => (await server.api(`/api/sessions/${id}`)).body.exitedAt !== null, "the shell to end");
    await page.goto(`${env.appUrl}/s/${id}`);
    await page.locator('.transcript-term[data-loaded="true"]').first().waitFor();
    await page.getByRole("button", { name: "Menu" }).tap();
    const menu = page.locator(".menu-grid");
    await menu.getByRole("button", { name: "Restart" }).waitFor();
    await env.shot("third-look-ended-menu");
    const names = (await menu.locator("button, a").allTextContents()).map((s) => s.trim());
    expect(names).toContain("Copy text");
    expect(names).toContain("Search");
    for (const gone of ["Paste", "Preview", "Reconnect"]) expect(names).not.toContain(gone);
  } finally {
    await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  }
});

test("every link, switch and button in Settings and Settings → Plugins is at least 40 px tall and wide", async () => {
  const { page } = env;
  const small = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("main a[href], main button, main label.toggle, main select")]
        .map((el) => ({ el, b: el.getBoundingClientRect() }))
        .filter(({ b }) => b.width > 0 && (b.height < 40 || b.width < 40))
        .map(
          ({ el, b }) =>
            `${(el.textContent || el.getAttribute("aria-label") || el.tagName).trim()} ${b.width}x${b.height}`,
        ),
    );
  await page.goto(`${env.appUrl}/settings`);
  await page.getByTestId("telegram-summary").waitFor();
  await page.waitForLoadState("networkidle");
  expect(await small()).toEqual([]);
  await page.goto(`${env.appUrl}/settings/plugins`);
  await page.locator('[data-plugin="pg"]').waitFor();
  await env.shot("third-look-plugins-targets");
  expect(await small()).toEqual([]);
});

test("a panel that is off says so and links to where it is turned back on", async () => {
  const { page, server } = env;
  expect((await server.api("/api/providers/docs/toggle", { method: "PATCH", json: { enabled: false } })).status).toBe(
    200,
  );
  try {
    await page.goto(`${env.appUrl}/panels/docs`);
    await page.getByText("This panel is disabled or unknown.").waitFor();
    await env.shot("third-look-panel-off");
    await page.getByRole("link", { name: "Turn panels on in Settings → Plugins ›" }).tap();
    await page.waitForURL(/\/settings\/plugins#docs$/);
    const toggle = page.getByLabel("Docs Reader enabled");
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await toggle.tap();
    await page.locator('[data-plugin="docs"][data-enabled="true"]').waitFor();
  } finally {
    await server.api("/api/providers/docs/toggle", { method: "PATCH", json: { enabled: true } });
  }
});

test("Settings → Plugins and MCP servers say why when their list cannot be read, instead of throwing", async () => {
  const { page } = env;
  const escaped: string[] = [];
  const onError = (e: Error) => escaped.push(e.message);
  page.on("pageerror", onError);
  const refuse = (route: import("playwright-core").Route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "unavailable", message: "the database is restarting" } }),
    });
  await env.context.route(/\/api\/providers$/, refuse);
  await env.context.route(/\/api\/mcp\/servers$/, refuse);
  try {
    for (const path of ["/settings/plugins", "/settings/mcp"]) {
      await page.goto(`${env.appUrl}${path}`);
      const said = page.getByRole("alert").filter({ hasText: "the database is restarting" });
      await said.waitFor({ timeout: 10_000 });
    }
    await env.shot("third-look-list-refused");
    expect(escaped).toEqual([]);
  } finally {
    await env.context.unroute(/\/api\/providers$/);
    await env.context.unroute(/\/api\/mcp\/servers$/);
    page.off("pageerror", onError);
  }
});
