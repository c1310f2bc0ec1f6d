import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { text } from "../shared/schema";
import { codexSandboxNotice } from "./codex-sandbox";
import { offeredShells } from "./detect";
import { hookSubscriptions } from "./hooks";
import type { PluginEntry, PluginRegistry } from "./registry";

export interface ProviderRouteDeps {
  registry: PluginRegistry;
  auth: AuthService;
}

const NameParams = v.object({ name: v.pipe(text(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a plugin name")) });
const ToggleBody = v.strictObject({ enabled: v.boolean("enabled must be true or false") });
const ConfigBody = v.strictObject({
  values: v.record(
    v.pipe(text(), v.maxLength(200)),
    v.nullable(v.union([text(), v.boolean()], "a string, a boolean or null")),
  ),
});

/** A provider as the API shows it: the manifest, config with secrets as set/unset, install state. */
function view(registry: PluginRegistry, e: PluginEntry) {
  return {
    name: e.manifest.name,
    provider: e.manifest.kind === "agent" ? offeredShells(e.manifest) : e.manifest,
    config: registry.configView(e.manifest.name).values,
    installed: e.installed,
    enabled: e.enabled,
    source: e.source,
    /** Why this agent runs differently here, if it does (Codex's sandbox in a container). */
    notice: e.manifest.name === "codex" ? codexSandboxNotice() : null,
  };
}

/** GET/PATCH/PUT /api/providers…, GET /api/plugins/errors (manifests that failed to load), GET /api/hooks. */
export function createProviderRoutes({ registry, auth }: ProviderRouteDeps) {
  return new Elysia({ name: "providers" })
    .use(requireAuth(auth))
    .get("/api/plugins/errors", () => registry.errors())
    .get("/api/hooks", () => hookSubscriptions(registry))
    .group("/api/providers", (app) =>
      app
        .get(
          "/",
          ({ query }) => {
            const kind = query.kind;
            return registry
              .list()
              .filter((e) => !kind || e.manifest.kind === kind)
              .map((e) => view(registry, e));
          },
          { query: v.object({ kind: v.optional(v.picklist(["agent", "panel"], "agent or panel")) }) },
        )
        .post("/refresh", async () => {
          registry.rescan();
          await registry.refreshInstalled();
          return registry.list().map((e) => view(registry, e));
        })
        .get("/:name", ({ params }) => view(registry, registry.require(params.name)), { params: NameParams })
        .patch(
          "/:name/toggle",
          async ({ params, body }) => {
            await registry.setEnabled(params.name, body.enabled);
            return { name: params.name, enabled: body.enabled };
          },
          { params: NameParams, body: ToggleBody },
        )
        .get("/:name/config", ({ params }) => registry.configView(params.name), { params: NameParams })
        .put(
          "/:name/config",
          async ({ params, body }) => {
            await registry.updateConfig(params.name, body.values);
            return { updated: true, name: params.name, ...registry.configView(params.name) };
          },
          { params: NameParams, body: ConfigBody },
        )
        .get(
          "/:name/models",
          async ({ params }) => {
            const m = registry.require(params.name).manifest;
            return { models: await registry.models(params.name), dynamic: m.kind === "agent" && !!m.dynamicModels };
          },
          { params: NameParams },
        ),
    );
}
