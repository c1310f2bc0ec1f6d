import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { waitFor } from "../harness";
import { sessionRunning } from "../preview/support";
import { launchChromium, login, phonePage, startUi, type UiEnv } from "./support";

let env: UiEnv;
const rangeStart = 20_000 + Math.floor(Math.random() * 20_000);

beforeAll(async () => {
  env = await startUi({ env: { PREVIEW_PORT_RANGE: `${rangeStart}-${rangeStart + 9}` } });
});
afterAll(() => env?.close());

/** Taps the terminal where `text` is drawn, once it is (xterm's DOM renderer: one text node per styled run). */
async function tapText(page: Page, text: string) {
  await page.waitForFunction((t) => document.querySelector(".xterm-rows")?.textContent?.includes(t), text);
  const at = await page.evaluate((t) => {
    const walker = document.createTreeWalker(document.querySelector(".xterm-rows") as Node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent?.indexOf(t) ?? -1;
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i + 3);
      range.setEnd(n, i + 4);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    return null;
  }, text);
  if (!at) throw new Error(`"${text}" is not on screen`);
  await page.touchscreen.tap(at.x, at.y);
}

test("the session's Preview screen lists the port its server listens on and shows the app in a frame", async () => {
  const dir = mkdtempSync(join(tmpdir(), "opendray-ui-preview-"));
  writeFileSync(
    join(dir, "app.ts"),
    `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("<h1>Hello from the agent's app</h1>", { headers: { "content-type": "text/html" } }) });
console.log("serving http://localhost:" + s.port + "/");`,
  );
  const id = await sessionRunning(env.server, dir, `${process.execPath} ${join(dir, "app.ts")}`, /serving http/);
  await login(env);
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${id}/preview`);
  const port = page.getByTestId("preview-ports").getByRole("button").first();
  await port.waitFor();
  expect(await port.textContent()).toContain("app.ts");
  await port.tap();
  const frame = page.frameLocator("iframe.preview-frame");
  await frame.getByRole("heading", { name: "Hello from the agent's app" }).waitFor({ timeout: 15_000 });
  await env.shot("preview-phone");
  await page.getByRole("button", { name: "Reload" }).tap();
  await frame.getByRole("heading", { name: "Hello from the agent's app" }).waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "Phone" }).tap();
  await page.getByRole("button", { name: "Desktop" }).waitFor();
  const box = await page.locator("iframe.preview-frame").evaluate((f) => (f as HTMLIFrameElement).style.width);
  expect(box).toBe("1280px");
});

test("a preview link with ?port= (what a localhost link in the terminal becomes) opens that port at once", async () => {
  const sessions = await env.server.api("/api/sessions");
  const id = sessions.body[0].id as string;
  const ports = await env.server.api(`/api/preview/ports?sessionId=${id}`);
  await env.page.goto(`${env.appUrl}/s/${id}/preview?port=${ports.body[0].port}`);
  await env.page
    .frameLocator("iframe.preview-frame")
    .getByRole("heading", { name: "Hello from the agent's app" })
    .waitFor({ timeout: 15_000 });
});

test("tapping a localhost link the session printed in its terminal opens the Preview screen on that port", async () => {
  const sessions = await env.server.api("/api/sessions");
  const id = sessions.body[0].id as string;
  const ports = await env.server.api(`/api/preview/ports?sessionId=${id}`);
  const port = ports.body[0].port as number;
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${id}`);
  await tapText(page, `http://localhost:${port}/`);
  await page.waitForURL((u) => u.pathname === `/s/${id}/preview` && u.searchParams.get("port") === String(port));
  await page
    .frameLocator("iframe.preview-frame")
    .getByRole("heading", { name: "Hello from the agent's app" })
    .waitFor({ timeout: 15_000 });
});

test("a printed link to a page of the session's app opens the preview on that page; a port it does not serve stays a plain link", async () => {
  const elsewhere = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("not the session's") });
  try {
    const dir = mkdtempSync(join(tmpdir(), "opendray-ui-preview-"));
    writeFileSync(
      join(dir, "app.ts"),
      `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (r) => { const u = new URL(r.url); return new Response("<h1>Page " + u.pathname + u.search + "</h1>", { headers: { "content-type": "text/html" } }); } });
console.log("http://localhost:" + s.port + "/some/page?x=1");
console.log("http://127.0.0.1:${elsewhere.port}/");`,
    );
    const id = await sessionRunning(env.server, dir, `${process.execPath} ${join(dir, "app.ts")}`, /some\/page/);
    const ports = await env.server.api(`/api/preview/ports?sessionId=${id}`);
    const port = ports.body.find((p: { source: string }) => p.source !== "output").port as number;
    const { page, context } = env;
    await page.goto(`${env.appUrl}/s/${id}`);

    // Not the session's port: the printed address opens as it is, in a new tab; OpenDray stays put.
    const popup = context.waitForEvent("page", { timeout: 15_000 });
    await tapText(page, `http://127.0.0.1:${elsewhere.port}/`);
    const tab = await popup;
    await tab.waitForURL(`http://127.0.0.1:${elsewhere.port}/`);
    expect(await tab.textContent("body")).toContain("not the session's");
    await tab.close();
    expect(new URL(page.url()).pathname).toBe(`/s/${id}`);

    // The session's port: the Preview screen, and in its frame the page the link printed.
    await tapText(page, `http://localhost:${port}/some/page?x=1`);
    await page.waitForURL((u) => u.pathname === `/s/${id}/preview` && u.searchParams.get("path") === "/some/page?x=1");
    await page
      .frameLocator("iframe.preview-frame")
      .getByRole("heading", { name: "Page /some/page?x=1" })
      .waitFor({ timeout: 15_000 });
    // Reload stays on that page (the code is spent; the cookie admits it).
    await page.getByRole("button", { name: "Reload" }).tap();
    await page.waitForFunction(
      () => !document.querySelector("iframe.preview-frame")?.getAttribute("src")?.includes("code"),
    );
    await page
      .frameLocator("iframe.preview-frame")
      .getByRole("heading", { name: "Page /some/page?x=1" })
      .waitFor({ timeout: 15_000 });
  } finally {
    elsewhere.stop(true);
  }
});

test("with the popup blocker on and the server slow to say which ports are the session's, a tapped link still opens its tab, on the page printed", async () => {
  const elsewhere = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (r) =>
      new Response(`<h1>Elsewhere ${new URL(r.url).pathname}</h1>`, { headers: { "content-type": "text/html" } }),
  });
  const browser = await launchChromium({ popupBlocking: true });
  const dir = mkdtempSync(join(tmpdir(), "opendray-ui-preview-"));
  try {
    writeFileSync(
      join(dir, "app.ts"),
      `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("<h1>The session's app</h1>", { headers: { "content-type": "text/html" } }) });
console.log("http://localhost:" + s.port + "/");
console.log("http://127.0.0.1:${elsewhere.port}/docs/start?y=2");`,
    );
    const id = await sessionRunning(env.server, dir, `${process.execPath} ${join(dir, "app.ts")}`, /docs\/start/);
    const port = (await env.server.api(`/api/preview/ports?sessionId=${id}`)).body.find(
      (p: { source: string }) => p.source !== "output",
    ).port as number;
    const { context, page } = await phonePage(browser);
    await login({ ...env, context, page });
    // The blocker is on: a tab opened after a tap's 5 s grace is refused (evaluate() counts as a tap).
    const late = () => new Promise((done) => setTimeout(() => done(window.open("about:blank") === null), 5500));
    expect(await page.evaluate(late)).toBe(true);
    // A slow network: the ports answer comes after Chromium's 5 s grace for a tap has run out.
    await page.route("**/api/preview/ports?*", async (route) => {
      await Bun.sleep(6000);
      await route.continue();
    });

    await page.goto(`${env.appUrl}/s/${id}`);
    const popup = context.waitForEvent("page", { timeout: 20_000 });
    await tapText(page, `http://127.0.0.1:${elsewhere.port}/docs/start?y=2`);
    const tab = await popup;
    await tab.waitForURL(`http://127.0.0.1:${elsewhere.port}/docs/start?y=2`, { timeout: 20_000 });
    expect(await tab.textContent("h1")).toBe("Elsewhere /docs/start");
    await tab.close();
    expect(new URL(page.url()).pathname).toBe(`/s/${id}`);

    // The session's own port, asked about afresh: no tab is left behind, the Preview screen opens.
    await page.reload();
    await tapText(page, `http://localhost:${port}/`);
    await page.waitForURL((u) => u.pathname === `/s/${id}/preview` && u.searchParams.get("port") === String(port), {
      timeout: 20_000,
    });
    await waitFor(async () => context.pages().length === 1, "the tab opened for the tap to close", 10_000);
    await page.unroute("**/api/preview/ports?*");
    await page.frameLocator("iframe.preview-frame").getByRole("heading", { name: "The session's app" }).waitFor({
      timeout: 15_000,
    });
  } finally {
    await browser.close();
    elsewhere.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
