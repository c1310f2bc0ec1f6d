import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { freePort, startServer, type TestServer, waitFor } from "../harness";
import { claudeOnboarded, launchRouted, newProject } from "../llm/support";
import { closeScreens } from "../plugins/screen";
import { VITE, viteProject } from "../preview/support";
import { agentClient } from "./support";

let server: TestServer;
let vite: ReturnType<typeof Bun.spawn>;
let app: string;
let port: number;
let sessionId: string;
let agent: Client;

type Content = { type: string; text?: string; data?: string; mimeType?: string }[];

beforeAll(async () => {
  claudeOnboarded();
  app = viteProject();
  port = await freePort();
  vite = Bun.spawn([VITE, "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: app,
    stdio: ["ignore", "ignore", "ignore"],
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok, "vite to serve");
  // The dev server runs outside the session here, so its port is one any session may open.
  server = await startServer({ env: { PREVIEW_ALLOW_PORTS: String(port) } });
  const s = await launchRouted(server, { sessionType: "claude", cwd: newProject() });
  sessionId = s.id;
  agent = await agentClient(server, sessionId);
}, 90_000);

afterAll(async () => {
  await agent?.close();
  await server?.stop();
  vite?.kill();
  closeScreens();
  rmSync(app, { recursive: true, force: true });
});

test("preview_screenshot of a port returns a phone-sized PNG as an image and the page's console errors", async () => {
  const r = (await agent.callTool(
    { name: "preview_screenshot", arguments: { port, path: "/broken.html" } },
    undefined,
    { timeout: 90_000 },
  )) as { content: Content; isError?: boolean; structuredContent?: { consoleErrors: string[] } };
  expect(r.isError).toBeFalsy();
  const image = r.content.find((c) => c.type === "image");
  expect(image?.mimeType).toBe("image/png");
  const png = Buffer.from(image?.data ?? "", "base64");
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  expect(png.readUInt32BE(16)).toBe(390);
  expect(png.readUInt32BE(20)).toBe(844);
  expect(r.content.find((c) => c.type === "text")?.text).toContain("preview-test: the widget failed to load");
  expect(r.structuredContent?.consoleErrors).toContain("preview-test: the widget failed to load");
  // The audit keeps the call without the image's bytes.
  const call = (await server.api(`/api/sessions/${sessionId}/mcp-calls`)).body.calls[0];
  expect(call.tool).toBe("preview_screenshot");
  expect(JSON.stringify(call.result).length).toBeLessThan(2000);
}, 120_000);

test("preview_screenshot of an open preview by id at a chosen size; another session's preview is refused", async () => {
  const opened = await server.api("/api/preview", { method: "POST", json: { sessionId, port } });
  expect(opened.status).toBe(201);
  const r = (await agent.callTool(
    { name: "preview_screenshot", arguments: { preview: opened.body.id, width: 800, height: 600 } },
    undefined,
    { timeout: 90_000 },
  )) as { content: Content; isError?: boolean };
  expect(r.isError).toBeFalsy();
  const png = Buffer.from(r.content.find((c) => c.type === "image")?.data ?? "", "base64");
  expect(png.readUInt32BE(16)).toBe(800);

  const other = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd: "/tmp", extraArgs: ["--norc", "--noprofile"] },
  });
  const foreign = await server.api("/api/preview", { method: "POST", json: { sessionId: other.body.id, port } });
  const refused = (await agent.callTool({
    name: "preview_screenshot",
    arguments: { preview: foreign.body.id },
  })) as { content: Content; isError?: boolean };
  expect(refused.isError).toBe(true);
  expect(refused.content[0]?.text).toContain("no preview");
  const bad = (await agent.callTool({ name: "preview_screenshot", arguments: { width: 10 } })) as {
    content: Content;
    isError?: boolean;
  };
  expect(bad.isError).toBe(true);
  expect(bad.content[0]?.text).toMatch(/preview|port/);
}, 120_000);
