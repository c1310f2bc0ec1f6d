import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
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

async function ensureBuilt() {
  if (existsSync(join(ROOT, "src", "web", "assets.gen.ts"))) return;
  const { buildUi } = await import("../../scripts/build-ui.ts");
  await buildUi({ quiet: true });
}

/**
 * Until the core mounts createWebRoutes(), the app is served by a small front server that answers
 * non-API paths with the embedded app and forwards /api (HTTP and WebSocket) to the real server.
 */
async function frontFor(server: TestServer): Promise<{ url: string; stop(): void } | null> {
  const html = await (await fetch(`${server.url}/`)).text();
  if (html.includes("/assets/")) return null;
  const { webResponse } = await import("../../src/web/index.ts");
  const backend = new URL(server.url);
  type Data = { target: string; upstream?: WebSocket; early: (string | Uint8Array)[] };
  const front = Bun.serve<Data, never>({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (!url.pathname.startsWith("/api")) return webResponse(req);
      const target = `${backend.origin}${url.pathname}${url.search}`;
      if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
        return srv.upgrade(req, { data: { target: target.replace(/^http/, "ws"), early: [] } }) ? undefined : new Response("upgrade failed", { status: 400 });
      }
      const headers = new Headers(req.headers);
      headers.delete("host");
      return fetch(target, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer(), redirect: "manual" });
    },
    websocket: {
      open(ws) {
        const up = new WebSocket(ws.data.target);
        up.binaryType = "arraybuffer";
        ws.data.upstream = up;
        up.onopen = () => {
          for (const m of ws.data.early) up.send(typeof m === "string" ? m : new Uint8Array(m));
          ws.data.early = [];
        };
        up.onmessage = (e) => ws.send(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer));
        up.onclose = (e) => ws.close(e.code === 1005 ? 1000 : e.code, e.reason);
      },
      message(ws, message) {
        const up = ws.data.upstream;
        if (up?.readyState === WebSocket.OPEN) up.send(typeof message === "string" ? message : new Uint8Array(message));
        else ws.data.early.push(message);
      },
      close(ws) {
        ws.data.upstream?.close();
      },
    },
  });
  return { url: `http://127.0.0.1:${front.port}`, stop: () => front.stop(true) };
}

export async function startUi(opts: { env?: Record<string, string> } = {}): Promise<UiEnv> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureBuilt();
  const server = await startServer({ env: opts.env });
  let front: Awaited<ReturnType<typeof frontFor>> = null;
  let browser: Browser | undefined;
  try {
    front = await frontFor(server);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const appUrl = front?.url ?? server.url;
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
        front?.stop();
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    front?.stop();
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
