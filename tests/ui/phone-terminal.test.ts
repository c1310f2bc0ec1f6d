import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import type { Page } from "playwright-core";
import { waitFor } from "../harness";
import { launchTerminal, login, run, screenText, startUi, type UiEnv } from "./support";

let env: UiEnv;
let id: string;
beforeAll(async () => {
  env = await startUi();
  // The browser's speech service is across the network: a stand-in that "hears" one sentence.
  await env.context.addInitScript(() => {
    class FakeRecognition {
      lang = "";
      interimResults = false;
      continuous = false;
      onresult: ((e: unknown) => void) | null = null;
      onend: (() => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      start() {
        setTimeout(() => {
          const result = Object.assign([{ transcript: "echo dictated" }], { isFinal: true });
          this.onresult?.({ resultIndex: 0, results: [result] });
          this.onend?.();
        }, 50);
      }
      stop() {
        this.onend?.();
      }
    }
    (window as unknown as { SpeechRecognition: unknown }).SpeechRecognition = FakeRecognition;
  });
  await login(env);
  id = await launchTerminal(env);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const rowsInclude = (page: Page, text: string) =>
  page.waitForFunction((t) => document.querySelector(".xterm-rows")?.textContent?.includes(t), text);

/** A finger on the terminal, through the browser's touch input (what a phone sends). */
async function drag(page: Page, from: { x: number; y: number }, dy: number, steps = 8) {
  const cdp = await env.context.newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [from] });
  for (let i = 1; i <= steps; i++) {
    await cdp.send("Input.dispatchTouchEvent", {
      type: "touchMove",
      touchPoints: [{ x: from.x, y: from.y + (dy * i) / steps }],
    });
    await page.waitForTimeout(16);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

test("a finger drag scrolls back through the history, and 'jump to live' returns to the end", async () => {
  const { page } = env;
  await run(page, "seq 1 400 | sed 's/^/line-/'");
  await rowsInclude(page, "line-400");
  const box = await page.getByTestId("terminal").boundingBox();
  if (!box) throw new Error("no terminal on the page");
  await drag(page, { x: box.x + box.width / 2, y: box.y + 100 }, 500);
  await page.getByRole("button", { name: /Jump to live/ }).waitFor();
  await page.waitForTimeout(600); // the momentum settles
  const text = await screenText(page);
  expect(text).not.toContain("line-400");
  const first = Number(/line-(\d+)/.exec(text)?.[1]);
  expect(first).toBeLessThan(380);
  await env.shot("45-touch-scrolled-back");
  await page.getByRole("button", { name: /Jump to live/ }).tap();
  await rowsInclude(page, "line-400");
  await page.getByRole("button", { name: /Jump to live/ }).waitFor({ state: "detached" });
}, 60_000);

test("a long press on a word selects it and offers to copy it", async () => {
  const { page } = env;
  await run(page, "clear; echo select-me-please");
  await rowsInclude(page, "select-me-please");
  const row = page.locator(".xterm-rows > div", { hasText: /^select-me-please/ });
  const box = await row.boundingBox();
  if (!box) throw new Error("the printed row is not on screen");
  const cdp = await env.context.newCDPSession(page);
  const at = { x: box.x + 20, y: box.y + box.height / 2 };
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at] });
  await page.waitForTimeout(700);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
  await page.getByRole("button", { name: /Copy “select-me-please”/ }).waitFor();
  await env.shot("46-long-press-select");
}, 30_000);

test("the key bar has 44 px keys, a scroll hint, Shift+Tab, Alt, PgUp, Home and a sticky Ctrl", async () => {
  const { page } = env;
  const heights = await page
    .locator(".keybar .key")
    .evaluateAll((keys) => keys.map((k) => k.getBoundingClientRect().height));
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
  expect(await page.locator(".keybar-hint").isVisible()).toBe(true);
  await run(page, "clear; cat -v");
  await page.waitForTimeout(300);
  for (const name of ["Shift-Tab", "Page Up", "Home"]) await page.getByRole("button", { name, exact: true }).tap();
  await page.getByRole("button", { name: "Alt", exact: true }).tap();
  expect(await page.getByRole("button", { name: "Alt", exact: true }).getAttribute("aria-pressed")).toBe("true");
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type("b");
  expect(await page.getByRole("button", { name: "Alt", exact: true }).getAttribute("aria-pressed")).toBe("false");
  await page.getByRole("button", { name: "Enter" }).tap();
  // cat -v echoes ESC as ^[: Shift+Tab, PgUp, Home, then Alt+b.
  await rowsInclude(page, "^[[Z^[[5~^[[H^[b");
  await page.getByRole("button", { name: "Ctrl", exact: true }).tap();
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type("c");
  await env.shot("47-keybar-keys");
}, 30_000);

test("the key bar's order is edited once and every device gets it from the server", async () => {
  const { page } = env;
  await page.getByRole("button", { name: "Edit keys" }).tap();
  await page.getByRole("button", { name: "Hide ~" }).tap();
  await page.getByRole("button", { name: "Move Shift-Tab left" }).tap();
  await page.getByRole("button", { name: "Move Shift-Tab left" }).tap();
  await env.shot("48-keybar-editor");
  await page.getByRole("button", { name: "Save keys" }).tap();
  await page.locator(".sheet").waitFor({ state: "detached" });
  const saved = (await env.server.api("/api/ui/keybar")).body.keys as string[];
  expect(saved[0]).toBe("shift-tab");
  expect(saved).not.toContain("tilde");

  const other = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    const tablet = await other.newPage();
    await tablet.goto(`${env.appUrl}/login`);
    await tablet.getByLabel("Username").fill(env.server.username);
    await tablet.getByLabel("Password").fill(env.server.password);
    await tablet.getByRole("button", { name: "Sign in" }).tap();
    await tablet.getByRole("heading", { name: "Sessions" }).waitFor();
    await tablet.goto(`${env.appUrl}/s/${id}`);
    await tablet.locator('.keybar .key[data-key="shift-tab"]').waitFor();
    await waitFor(
      async () => (await tablet.locator(".keybar .key").first().getAttribute("data-key")) === "shift-tab",
      "the stored order on the other device",
    );
    expect(await tablet.locator('.keybar .key[data-key="tilde"]').count()).toBe(0);
  } finally {
    await other.close();
  }
  const bad = await env.server.api("/api/ui/keybar", { method: "PUT", json: { keys: ["esc", "nope"] } });
  expect(bad.status).toBe(422);
  expect(JSON.stringify(bad.body.error.issues)).toContain("keys");
}, 60_000);

test("emoji take two cells, so a line of them wraps where the shell wrapped it", async () => {
  const { page } = env;
  await run(page, "clear; printf '😀%.0s' $(seq 1 60); echo; echo wide-$((1+1))");
  await rowsInclude(page, "wide-2");
  const cols = (await env.server.api(`/api/sessions/${id}`)).body.cols as number;
  const rows = await page.locator(".xterm-rows > div").evaluateAll((r) => r.map((x) => x.textContent ?? ""));
  const emojiRow = rows.find((r) => r.startsWith("😀")) ?? "";
  expect([...emojiRow.replace(/[^😀]/gu, "")].length).toBe(Math.floor(cols / 2));
  await env.shot("49-wide-characters");
}, 30_000);

test("the reconnecting banner offers 'retry now' and counts keys typed while offline", async () => {
  const { page, context } = env;
  await run(page, "clear");
  await context.setOffline(true);
  await page.getByTestId("conn-banner").waitFor();
  await run(page, "echo queued-$((20+3))");
  await page.getByTestId("queued").waitFor();
  expect(await page.getByTestId("queued").textContent()).toMatch(/^[1-9]\d* inputs? queued$/);
  await env.shot("50-offline-queued");
  await context.setOffline(false);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await rowsInclude(page, "queued-23");
  await page.getByTestId("conn-banner").waitFor({ state: "detached" });

  await env.server.kill9();
  await page.getByRole("button", { name: "Retry now" }).waitFor();
  // A tap tries again at once, not after the backoff.
  await page.waitForTimeout(300);
  let attempts = 0;
  page.on("websocket", () => attempts++);
  await page.getByRole("button", { name: "Retry now" }).tap();
  await waitFor(async () => attempts > 0, "a new connection attempt", 250, 10);
  await env.shot("55-reconnecting-retry");
  await env.server.restart();
  // While the page is visible the retry delay is capped at a few seconds.
  const back = Date.now();
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor({ timeout: 15_000 });
  expect(Date.now() - back).toBeLessThan(6_000);
}, 90_000);

test("a photo attached from the phone is uploaded to the session and its path offered in the input", async () => {
  const { page } = env;
  await page.getByRole("button", { name: "Attach image" }).waitFor();
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  await page.getByTestId("image-input").setInputFiles({ name: "shot.png", mimeType: "image/png", buffer: png });
  await page.getByText(/^Attached img-\d+\.png$/).waitFor();
  const path = await page.getByLabel("Message").inputValue();
  expect(path).toMatch(new RegExp(`opendray-images/${id}/img-\\d+\\.png$`));
  expect(existsSync(path) && statSync(path).size).toBe(png.length);
  await env.shot("51-image-attached");

  const jpeg = await fetch(`${env.server.url}/api/sessions/${id}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.server.token}`, "content-type": "image/jpeg" },
    body: new Uint8Array([0xff, 0xd8, 0xff]),
  });
  expect(jpeg.status).toBe(200);
  expect(((await jpeg.json()) as { name: string }).name).toMatch(/\.jpg$/);
  const huge = await fetch(`${env.server.url}/api/sessions/${id}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.server.token}`, "content-type": "image/png" },
    body: new Uint8Array(26 * 1024 * 1024),
  });
  expect(huge.status).toBe(413);
}, 60_000);

test("dictation fills the input box, the text is edited, then sent to the terminal", async () => {
  const { page } = env;
  await page.getByLabel("Message").fill("");
  await page.getByRole("button", { name: "Dictate" }).tap();
  await waitFor(async () => (await page.getByLabel("Message").inputValue()) === "echo dictated", "the dictated text");
  await page.getByLabel("Message").press("End");
  await page.getByLabel("Message").pressSequentially("-and-edited");
  await page.getByRole("button", { name: "Send", exact: true }).tap();
  // The echo's output, not the typed command line.
  await waitFor(async () => /^dictated-and-edited\s*$/m.test(await screenText(page)), "the sent line's output");
}, 30_000);

test("an approval shows the lines above the question and the file name, with Yes as the primary answer", async () => {
  const { page } = env;
  await run(
    page,
    `clear; printf 'Edit file src/app.ts\\n  3 - const a = 1;\\n  3 + const a = 2;\\n'; read -p "Do you want to make this edit to app.ts? [y/N] " a; echo "answer=$a"`,
  );
  const card = page.getByTestId("prompt-card");
  await card.waitFor({ timeout: 20_000 });
  await card.getByTestId("prompt-context").getByText("3 + const a = 2;").waitFor();
  expect(await card.getByTestId("prompt-file").textContent()).toBe("app.ts");
  expect(await card.locator(".pl.add").count()).toBe(1);
  expect(await card.locator(".pl.del").count()).toBe(1);
  expect(await card.getByRole("button", { name: "Yes" }).getAttribute("class")).toContain("primary");
  expect(await card.getByRole("button", { name: "No" }).getAttribute("class")).not.toContain("primary");
  await env.shot("52-approval-context");

  // Answered from the session list, without opening the session.
  await page.goto(`${env.appUrl}/`);
  const item = page.locator(`.session-prompt[data-session-id="${id}"]`);
  await item.getByTestId("prompt-card").getByRole("button", { name: "Yes" }).waitFor({ timeout: 15_000 });
  await env.shot("53-list-card-prompt");
  await item.getByTestId("prompt-card").getByRole("button", { name: "Yes" }).tap();
  expect(page.url()).toBe(`${env.appUrl}/`);
  await waitFor(async () => {
    const res = await fetch(`${env.server.url}/api/sessions/${id}/buffer`, {
      headers: { authorization: `Bearer ${env.server.token}` },
    });
    return /answer=y/.test(await res.text());
  }, "the answer typed into the session");
}, 60_000);

test("unknown sessions and paths show a not-found page; inputs and placeholders look different", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/s/00000000-0000-4000-8000-000000000000`);
  await page.getByRole("heading", { name: "Session not found" }).waitFor();
  await env.shot("54-session-not-found");
  await page.goto(`${env.appUrl}/no/such/place`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  // Dark mode: the primary button's text is readable on its colour (WCAG AA, 4.5:1).
  await page.emulateMedia({ colorScheme: "dark" });
  const ratio = await page.getByRole("link", { name: "Back to sessions" }).evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return ((a ?? 0) + 0.05) / ((b ?? 0) + 0.05);
  });
  expect(ratio).toBeGreaterThanOrEqual(4.5);
  await env.shot("56-dark-not-found");
  await page.goto(`${env.appUrl}/s/${id}`);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await run(page, "clear; printf '\\033[31mred-on-dark\\033[0m\\n'");
  // The printed word alone in its span: the typed command's echo holds it too, until `clear` runs.
  const printed = page.locator(".xterm-rows span", { hasText: /^red-on-dark$/ }).last();
  await printed.waitFor();
  const red = await printed.evaluate((el) => getComputedStyle(el).color);
  expect(red).toBe("rgb(244, 112, 103)");
  await env.shot("57-dark-terminal-red");
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${env.appUrl}/s/${id}`);
  const colours = await page.getByLabel("Message").evaluate((el) => ({
    text: getComputedStyle(el).color,
    placeholder: getComputedStyle(el, "::placeholder").color,
  }));
  expect(colours.text).not.toBe(colours.placeholder);
  const html = await (await fetch(`${env.appUrl}/`)).text();
  expect(html).not.toContain("apple-mobile-web-app-capable");
  expect(html).toContain('name="mobile-web-app-capable"');
}, 30_000);
