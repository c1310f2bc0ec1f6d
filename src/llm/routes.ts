import { Elysia } from "elysia";
import * as v from "valibot";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { CreateProviderBody, ProviderIdParams, ToggleBody, UpdateProviderBody } from "./model";
import type { LlmService } from "./service";

export interface LlmRouteDeps {
  llm: LlmService;
  auth: AuthService;
}

const SessionParams = v.object({ id: v.pipe(v.string(), v.uuid("a session id (UUID)")) });

/** /api/llm-providers… (the registry) and GET /api/sessions/{id}/llm-usage. */
export function createLlmRoutes({ llm, auth }: LlmRouteDeps) {
  const params = ProviderIdParams;
  return new Elysia({ name: "llm-providers" })
    .use(requireAuth(auth))
    .get("/api/sessions/:id/llm-usage", ({ params: p }) => llm.usage(p.id), { params: SessionParams })
    .group("/api/llm-providers", (app) =>
      app
        .get("/", async () => ({ providers: await llm.list() }))
        .post(
          "/",
          async ({ body, set }) => {
            set.status = 201;
            return llm.create(body);
          },
          { body: CreateProviderBody },
        )
        .get("/:id", async ({ params: p }) => llm.view(await llm.row(p.id)), { params })
        .put("/:id", ({ params: p, body }) => llm.update(p.id, body), { params, body: UpdateProviderBody })
        .patch("/:id/toggle", ({ params: p, body }) => llm.toggle(p.id, body.enabled), { params, body: ToggleBody })
        .delete(
          "/:id",
          async ({ params: p }) => {
            await llm.remove(p.id);
            return { status: "deleted" };
          },
          { params },
        )
        .post("/:id/probe", ({ params: p }) => llm.probe(p.id), { params })
        .get("/:id/models", ({ params: p }) => llm.models(p.id), { params }),
    );
}
