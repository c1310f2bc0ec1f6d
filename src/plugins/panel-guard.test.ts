import { expect, test } from "bun:test";
import { Elysia } from "elysia";
import { errorResponse } from "../http";
import { panelGuard } from "./panel-guard";
import type { PluginEntry } from "./registry";

test("a panel's routes answer 404 while it is disabled, at once when toggled, WebSockets included", async () => {
  let enabled = true;
  const registry = {
    entry: (name: string) =>
      name === "demo" ? ({ enabled, manifest: { name, kind: "panel" } } as unknown as PluginEntry) : undefined,
  };
  const app = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(
      new Elysia({ prefix: "/api/demo" })
        .use(panelGuard(registry, "demo"))
        .get("/hello", () => ({ hi: true }))
        .ws("/live", { open: (ws) => ws.send("open") }),
    )
    .use(new Elysia({ prefix: "/api/other" }).use(panelGuard(registry, "missing")).get("/x", () => "x"))
    .get("/api/free", () => "free")
    .listen(0);
  const base = `http://127.0.0.1:${app.server?.port}`;
  try {
    expect((await fetch(`${base}/api/demo/hello`)).status).toBe(200);
    enabled = false;
    const off = await fetch(`${base}/api/demo/hello`);
    expect(off.status).toBe(404);
    expect(((await off.json()) as { error: { message: string } }).error.message).toBe("the demo panel is disabled");
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/demo/live`);
    const outcome = await new Promise<string>((resolve) => {
      ws.onmessage = (e) => resolve(String(e.data));
      ws.onerror = () => resolve("refused");
      ws.onclose = () => resolve("refused");
    });
    expect(outcome).toBe("refused");
    expect((await fetch(`${base}/api/other/x`)).status).toBe(404);
    expect((await fetch(`${base}/api/free`)).status).toBe(200);
    enabled = true;
    expect((await fetch(`${base}/api/demo/hello`)).status).toBe(200);
  } finally {
    await app.stop(true);
  }
});
