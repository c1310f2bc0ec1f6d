import type { Server } from "bun";
import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { type PanelLookup, panelEnabled, panelGuard } from "../plugins";
import { OpenBody, PortsQuery, PreviewParams, ScreenshotBody } from "./model";
import type { Caller, PreviewService } from "./service";
import type { BridgeData } from "./ws-bridge";

export type { PreviewLink } from "./links";
export type { PortEntry, PreviewInfo, PreviewMode } from "./model";
export type { ScreenshotOptions, ScreenshotResult } from "./screenshot";
export { type PreviewConfig, PreviewService, type PreviewSessions } from "./service";

export interface PreviewRouteDeps {
  auth: AuthService;
  registry: PanelLookup;
  preview: PreviewService;
}

const callerOf = (request: Request): Caller => ({
  host: request.headers.get("host") ?? new URL(request.url).host,
  proto: new URL(request.url).protocol === "https:" ? "https" : "http",
});

/**
 * /api/preview/…: discovery, opening previews and screenshots; plus, on OpenDray's own listener,
 * the path-mode (/preview/<id>/…) and domain-mode (<id>.<preview.domain>) proxies, which answer
 * before routing so bodies stream through unparsed.
 */
export function createPreviewRoutes({ auth, registry, preview }: PreviewRouteDeps) {
  const proxies = new Elysia({ name: "preview-proxy" }).onRequest(({ request, server }) => {
    const hit = preview.route(request);
    if (!hit || !server || !panelEnabled(registry, "preview")) {
      if (preview.previewHost(request)) return new Response("no such preview", { status: 404 });
      return;
    }
    return preview.forward(
      request,
      server as unknown as Server<BridgeData>,
      hit.preview,
      hit.pathAndQuery,
      hit.basePath,
    );
  });
  const api = new Elysia({ prefix: "/api/preview" })
    .use(requireAuth(auth))
    .use(panelGuard(registry, "preview"))
    .get("/ports", ({ query }) => preview.ports(query.sessionId), { query: PortsQuery })
    .get("/discover", ({ request }) => preview.discover(callerOf(request).host))
    .get("/", () => preview.list())
    .post(
      "/",
      ({ body, request, set }) => {
        set.status = 201;
        return preview.open(body, callerOf(request));
      },
      { body: OpenBody },
    )
    .delete(
      "/:id",
      ({ params }) => {
        preview.close(params.id);
        return { status: "closed" };
      },
      { params: PreviewParams },
    )
    .post(
      "/:id/screenshot",
      async ({ params, body, request }) => {
        const shot = await preview.screenshot(params.id, body ?? {});
        const report = { consoleErrors: shot.consoleErrors, failedRequests: shot.failedRequests };
        if ((request.headers.get("accept") ?? "").includes("image/png"))
          return new Response(shot.png as Uint8Array<ArrayBuffer>, {
            headers: {
              "content-type": "image/png",
              "x-opendray-screenshot": encodeURIComponent(JSON.stringify(report)),
            },
          });
        return {
          mimeType: "image/png",
          width: shot.width,
          height: shot.height,
          data: Buffer.from(shot.png).toString("base64"),
          ...report,
        };
      },
      { params: PreviewParams, body: ScreenshotBody },
    );
  return new Elysia({ name: "preview" }).use(proxies).use(api);
}
export { createPreviewService } from "./setup";
