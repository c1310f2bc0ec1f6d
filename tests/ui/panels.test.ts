import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTargetPg, type TargetPg } from "../pg/target-pg";
import { type AdbStub, startAdbStub } from "../stubs/adb-server";
import type { ForgeStub } from "../stubs/forge-common";
import { startGithubStub } from "../stubs/forge-github";
import { login, startUi, type UiEnv } from "./support";

let env: UiEnv;
let adb: AdbStub;
let forge: ForgeStub;
let target: TargetPg;
const repo = mkdtempSync(join(tmpdir(), "od-ui-panels-"));

const git = (...args: string[]) => Bun.spawnSync(["git", ...args], { cwd: repo, stdout: "ignore", stderr: "ignore" });

beforeAll(async () => {
  adb = startAdbStub([{ serial: "emulator-5554", model: "Pixel_7", width: 108, height: 240 }]);
  forge = startGithubStub({ owner: "acme", repo: "widgets", token: "ui-token" });
  target = await startTargetPg();
  const shop = target.admin();
  await shop.unsafe(
    "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, 'teapot'), (2, 'kettle')",
  );
  git("init", "-q", "-b", "main");
  git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "init");
  git("checkout", "-q", "-b", "feature/login");
  git("remote", "add", "origin", `${forge.url}/acme/widgets.git`);
  env = await startUi({ env: { ANDROID_ADB_SERVER_PORT: String(adb.port) } });
  const api = env.server.api;
  await api("/api/providers/forge/config", {
    method: "PUT",
    json: { values: { forgeType: "github", baseUrl: forge.url, token: "ui-token" } },
  });
  await api("/api/providers/pg/config", {
    method: "PUT",
    json: { values: { host: target.socketDir, user: target.user, password: target.password, database: "postgres" } },
  });
  await api("/api/sessions", { method: "POST", json: { name: "widgets", cwd: repo, autoStart: false } });
  await login(env);
}, 120_000);

afterAll(async () => {
  await env?.close();
  await target?.stop();
  adb?.stop();
  forge?.stop();
  rmSync(repo, { recursive: true, force: true });
});

test("the panels page lists the enabled panels and hides a disabled one", async () => {
  const { page } = env;
  await page.getByRole("link", { name: "Panels", exact: true }).tap();
  await page.getByRole("heading", { name: "Panels" }).waitFor();
  for (const name of ["pg", "forge", "docs", "simulator"]) await page.locator(`[data-panel="${name}"]`).waitFor();
  await env.shot("60-panels-list");
  await env.server.api("/api/providers/docs/toggle", { method: "PATCH", json: { enabled: false } });
  await page.reload();
  await page.locator('[data-panel="pg"]').waitFor();
  expect(await page.locator('[data-panel="docs"]').count()).toBe(0);
  await page.goto(`${env.appUrl}/panels/docs`);
  await page.getByText("This panel is disabled").waitFor();
}, 60_000);

test("the PostgreSQL panel runs a query and refuses a write, at phone size", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/panels/pg`);
  await page.getByLabel("SQL").fill("SELECT id, name FROM items ORDER BY id");
  await page.getByRole("button", { name: "Run" }).tap();
  await page.getByText("teapot").waitFor();
  expect(await page.getByTestId("pg-summary").textContent()).toContain("2 rows");
  await env.shot("61-pg-query");
  await page.getByLabel("SQL").fill("DELETE FROM items");
  await page.getByRole("button", { name: "Run" }).tap();
  await page.getByRole("alert").getByText("read-only").waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.getByRole("tab", { name: "Schema" }).tap();
  await page.getByText("public.items", { exact: true }).waitFor();
  await env.shot("62-pg-schema");
}, 60_000);

test("the forge panel shows the session branch's pull request first and its checks", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/panels/forge`);
  const first = page.getByTestId("pr-list").locator("li").first();
  await first.getByText("Add the login page").waitFor();
  await first.getByText("This branch").waitFor();
  await env.shot("63-forge-list");
  await first.getByRole("button").tap();
  await page.getByTestId("checks").getByText("lint").waitFor();
  await page.getByRole("tab", { name: "Diff" }).tap();
  await page.getByText('+export const login = () => "added line";').waitFor();
  await env.shot("64-forge-diff");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}, 60_000);

test("the simulator panel streams the device screen and a tap reaches the device", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/panels/simulator`);
  await page.getByTestId("devices").getByText("Pixel 7").tap();
  const img = page.getByAltText("Pixel 7 screen");
  await img.waitFor();
  const box = await img.boundingBox();
  if (!box) throw new Error("no screen image");
  await env.shot("65-simulator");
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 4);
  const deadline = Date.now() + 5000;
  while (!adb.shell.some((c) => c.startsWith("input tap")) && Date.now() < deadline) await Bun.sleep(50);
  expect(adb.shell.find((c) => c.startsWith("input tap"))).toBe("input tap 54 60");
}, 60_000);
