import { afterAll, beforeAll } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { sourceUi, uiStale } from "../../src/web/source-ui";
import { ROOT, startServer, type TestServer } from "../harness";

export const ARTIFACTS = join(ROOT, "test-artifacts", "ui");

export interface UiEnv {
  server: TestServer;
  /** Where the browser loads the app from. */
  appUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The headless Chromium every UI test drives. `popupBlocking`: keep Chromium's popup blocker on, as a
 * phone's browser has it (Playwright turns it off by default).
 */
export const launchChromium = (opts: { popupBlocking?: boolean } = {}) =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    ...(opts.popupBlocking ? { ignoreDefaultArgs: ["--disable-popup-blocking"] } : {}),
  });

/** A phone-sized touch page (390x844, 2x), in the browser's language unless `locale` is given. */
export async function phonePage(browser: Browser, locale?: string) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    ...(locale ? { locale } : {}),
  });
  return { context, page: await context.newPage() };
}

/** A git repository in `dir` with everything in it committed as "init". */
export function gitCommitAll(dir: string) {
  const git = (...args: string[]) => {
    const r = Bun.spawnSync(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
    if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  };
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "init");
}

async function ensureBuilt() {
  const ui = sourceUi(ROOT);
  if (existsSync(join(ROOT, "src", "web", "assets.gen.ts")) && !(ui && uiStale(ui))) return;
  // In a child with NODE_ENV=production: under bun test's NODE_ENV=test the app would lack its service worker.
  const built = Bun.spawnSync([process.execPath, join(ROOT, "scripts", "build-ui.ts")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
    stdout: "ignore",
  });
  if (built.exitCode !== 0) throw new Error(`UI build failed: ${built.stderr.toString()}`);
}

export async function startUi(
  opts: { env?: Record<string, string>; listenHost?: string; locale?: string } = {},
): Promise<UiEnv> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureBuilt();
  const server = await startServer({ env: opts.env, listenHost: opts.listenHost });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const { context, page } = await phonePage(browser, opts.locale);
    const appUrl = server.url;
    return {
      server,
      appUrl,
      browser,
      context,
      page,
      shot: async (name) => {
        await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
      },
      close: async () => {
        await browser?.close();
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** Logs in through the form, the way a user does. */
export async function login(env: UiEnv) {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel("Username").fill(server.username);
  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
}

/** The terminal's text as xterm renders it. */
export async function screenText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the rows' line breaks
  return page.locator(".xterm-rows").innerText();
}

/** Launches a terminal session from the launcher and waits until its screen is live; returns its id. */
export async function launchTerminal(env: UiEnv, cwd = env.server.home): Promise<string> {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.getByLabel("Working directory").fill(cwd);
  await page.getByRole("button", { name: /^Start / }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  return page.url().split("/").pop() as string;
}

/** Types on the phone keyboard (into xterm's hidden textarea), then taps the key bar's Enter. */
export async function run(page: Page, command: string) {
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type(command);
  await page.getByRole("button", { name: "Enter" }).tap();
}

/** Everything in the terminal, scrollback included, read through the "Copy text" sheet. */
export async function fullText(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("button", { name: "Copy text" }).tap();
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the line breaks
  const text = await page.locator(".copy-text").innerText();
  await page.getByRole("button", { name: "Close" }).tap();
  return text;
}

/**
 * WCAG contrast of an element's text against what is behind it: translucent backgrounds (a badge's tint) laid
 * over the first opaque one, opacity included. Reads `rgb()` and the `color(srgb …)` that color-mix() computes to.
 */
export function contrastOf(el: Element): number {
  const rgba = (c: string): [number, number, number, number] => {
    const n = (c.match(/[\d.]+/g) ?? []).map(Number);
    const scale = c.startsWith("color(") ? 255 : 1;
    return [(n[0] ?? 0) * scale, (n[1] ?? 0) * scale, (n[2] ?? 0) * scale, n[3] ?? 1];
  };
  const over = (top: number[], a: number, under: number[]) => under.map((v, i) => a * (top[i] ?? 0) + (1 - a) * v);
  let alpha = 1;
  const layers: [number, number, number, number][] = [];
  for (let e: Element | null = el; e; e = e.parentElement) {
    const cs = getComputedStyle(e);
    alpha *= Number(cs.opacity);
    if (layers.at(-1)?.[3] === 1) continue;
    const b = rgba(cs.backgroundColor);
    if (b[3] > 0.99) layers.push([b[0], b[1], b[2], 1]);
    else if (b[3] > 0) layers.push(b);
  }
  if (layers.at(-1)?.[3] !== 1) layers.push([255, 255, 255, 1]);
  const back = layers.reduceRight<number[]>((under, [r, g, b, a]) => over([r, g, b], a, under), [255, 255, 255]);
  const [r, g, b, a] = rgba(getComputedStyle(el).color);
  const fg = over([r, g, b], a * alpha, back);
  const lum = (c: number[]) =>
    c
      .slice(0, 3)
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * ([0.2126, 0.7152, 0.0722][i] ?? 0), 0);
  const [hi, lo] = [lum(fg), lum(back)].sort((a, b) => b - a) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A phone page logged in to a fresh server for the file (or describe) it is called in; closed after it. */
export function useLoggedInUi(): UiEnv {
  const env = {} as UiEnv;
  beforeAll(async () => {
    Object.assign(env, await startUi());
    await login(env);
  }, 180_000);
  afterAll(async () => {
    await env.close?.();
  });
  return env;
}
