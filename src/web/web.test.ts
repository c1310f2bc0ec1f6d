import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createWebRoutes } from "./index";

// The generated asset module appears after a UI build; build it here when a fresh checkout lacks it.
beforeAll(async () => {
  if (existsSync(join(import.meta.dir, "assets.gen.ts"))) return;
  const { buildUi } = await import("../../scripts/build-ui.ts");
  await buildUi({ quiet: true });
}, 120_000);

const app = createWebRoutes();
const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }));

describe("web app serving", () => {
  test("API paths never fall through to the app", async () => {
    for (const path of ["/api/nope", "/api/sessions/x/unknown", "/api"]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect((await res.json()).error.code).toBe("not_found");
    }
  });

  test("client-side routes get the app's HTML with a CSP", async () => {
    for (const path of ["/", "/login", "/s/123e4567-e89b-12d3-a456-426614174000/diff", "/settings"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await res.text()).toContain("OpenDray");
    }
  });

  test("hashed assets are compressed and cached for a year", async () => {
    const html = await (await get("/")).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const br = await get(script, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(br.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const gz = await get(script, { "accept-encoding": "gzip" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    const plain = await get(script);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.text()).length).toBeGreaterThan(1000);
  });

  test("the app shell, manifest and worker are revalidated on every load", async () => {
    expect((await get("/index.html")).headers.get("cache-control")).toBe("no-cache");
    const manifest = await get("/manifest.webmanifest");
    expect(manifest.headers.get("content-type")).toBe("application/manifest+json");
    expect((await get("/sw.js")).headers.get("cache-control")).toBe("no-cache");
    expect((await get("/icon-192.png")).headers.get("content-type")).toBe("image/png");
  });

  test("a missing hashed asset is a 404, not the app", async () => {
    expect((await get("/assets/index-deadbeef.js")).status).toBe(404);
  });
});
