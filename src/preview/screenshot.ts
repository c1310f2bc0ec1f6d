import { existsSync } from "node:fs";
import { AppError } from "../errors";

export interface ScreenshotOptions {
  width?: number;
  height?: number;
  fullPage?: boolean;
  path?: string;
}

export interface ScreenshotResult {
  png: Uint8Array;
  width: number;
  height: number;
  consoleErrors: string[];
  failedRequests: { url: string; status?: number; error?: string }[];
}

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const LOAD_TIMEOUT_MS = 30_000;
/** Console errors logged right after load (an effect, a late fetch) still count. */
const SETTLE_MS = 500;

type Chromium = typeof import("playwright-core").chromium;

async function loadChromium(): Promise<Chromium> {
  // Not a literal specifier: the compiled binary does not bundle playwright-core, it finds it or says so.
  const name = "playwright-core";
  try {
    return ((await import(name)) as typeof import("playwright-core")).chromium;
  } catch {
    throw new AppError("unavailable", "screenshots need playwright-core, which is not installed", undefined, {
      missing: "playwright-core",
    });
  }
}

/** Loads `url` in headless Chromium at the given viewport and takes a PNG. */
export async function takeScreenshot(
  browserPath: string,
  url: string,
  opts: ScreenshotOptions,
  hostRules?: string,
): Promise<ScreenshotResult> {
  if (!existsSync(browserPath))
    throw new AppError(
      "unavailable",
      `screenshots need headless Chromium, not found at ${browserPath} (install chromium or set preview.browser)`,
      undefined,
      { missing: "chromium" },
    );
  const chromium = await loadChromium();
  const width = opts.width ?? 390;
  const height = opts.height ?? 844;
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: hostRules ? [...FLAGS, `--host-resolver-rules=${hostRules}`] : FLAGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    const consoleErrors: string[] = [];
    const failedRequests: ScreenshotResult["failedRequests"] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    page.on("requestfailed", (r) => failedRequests.push({ url: hideCode(r.url()), error: r.failure()?.errorText }));
    page.on("response", (r) => {
      if (r.status() >= 400) failedRequests.push({ url: hideCode(r.url()), status: r.status() });
    });
    await page.goto(url, { waitUntil: "load", timeout: LOAD_TIMEOUT_MS });
    await page.waitForLoadState("networkidle", { timeout: 5000 }).catch(() => {});
    await Bun.sleep(SETTLE_MS);
    const png = await page.screenshot({ type: "png", fullPage: opts.fullPage ?? false });
    return { png: new Uint8Array(png), width, height, consoleErrors, failedRequests };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("bad_gateway", `the preview did not load in Chromium: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    await browser.close();
  }
}

const hideCode = (url: string) => url.replace(/([?&]opendray_preview_code=)[^&#]*/, "$1…");
