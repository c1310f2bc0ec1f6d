import { expect, test } from "bun:test";
import { Elysia } from "elysia";
import { errorResponse } from "../http";
import { builtinManifests } from "./builtin";
import { panelGuard } from "./panel-guard";
import { PluginRegistry } from "./registry";

test("a disabled panel's routes answer 404 and come back when it is enabled again", async () => {
  const registry = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
  registry.rescan();
  const app = new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(new Elysia().use(panelGuard(registry, "pg")).get("/api/pg/x", () => ({ ok: true })))
    .get("/api/other", () => ({ ok: true }));
  const get = (path: string) => app.handle(new Request(`http://localhost${path}`));

  expect((await get("/api/pg/x")).status).toBe(200);
  await registry.setEnabled("pg", false);
  const hidden = await get("/api/pg/x");
  expect(hidden.status).toBe(404);
  expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe("not_found");
  expect((await get("/api/other")).status).toBe(200);
  await registry.setEnabled("pg", true);
  expect((await get("/api/pg/x")).status).toBe(200);
});
