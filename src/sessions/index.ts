import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import type { RateLimiter } from "../http";
import { createImageRoute } from "./image";
import { BufferQuery, CreateSessionBody, InputBody, ResizeBody, SessionIdParams } from "./model";
import type { SessionService } from "./service";
import { createSessionSocket } from "./ws";

export { isImageUpload, MAX_IMAGE_BYTES, readImageBody } from "./image";
export type { SessionView } from "./model";
export { SessionService } from "./service";

export interface SessionRouteDeps {
  sessions: SessionService;
  auth: AuthService;
  limits: { mutations: RateLimiter; reads: RateLimiter };
  allowedOrigins: string[];
}

export function createSessionRoutes({ sessions, auth, limits, allowedOrigins }: SessionRouteDeps) {
  const params = SessionIdParams;
  return new Elysia({ prefix: "/api/sessions" })
    .use(createSessionSocket({ sessions, auth, allowedOrigins }))
    .use(requireAuth(auth))
    .use(createImageRoute({ sessions }))
    .get("/", ({ request, server }) => limits.reads.check(request, server).then(() => sessions.list()))
    .post(
      "/",
      async ({ body, request, server, set }) => {
        await limits.mutations.check(request, server);
        set.status = 201;
        return sessions.create(body);
      },
      { body: CreateSessionBody },
    )
    .get(
      "/:id",
      async ({ params: p, request, server }) => {
        await limits.reads.check(request, server);
        return sessions.get(p.id);
      },
      { params },
    )
    .delete(
      "/:id",
      async ({ params: p, request, server }) => {
        await limits.mutations.check(request, server);
        await sessions.remove(p.id);
        return { status: "deleted" };
      },
      { params },
    )
    .post(
      "/:id/start",
      async ({ params: p, request, server }) => {
        await limits.mutations.check(request, server);
        return { status: "started", session: await sessions.start(p.id) };
      },
      { params },
    )
    .post(
      "/:id/stop",
      async ({ params: p, request, server }) => {
        await limits.mutations.check(request, server);
        return { status: "stopped", session: await sessions.stop(p.id) };
      },
      { params },
    )
    .post(
      "/:id/input",
      async ({ params: p, body }) => {
        const { applied } = await sessions.input(p.id, body.input, body.id);
        return { status: applied ? "sent" : "duplicate", id: body.id };
      },
      { params, body: InputBody },
    )
    .post(
      "/:id/resize",
      async ({ params: p, body }) => {
        await sessions.resize(p.id, body.cols, body.rows);
        return { status: "resized" };
      },
      { params, body: ResizeBody },
    )
    .get(
      "/:id/buffer",
      async ({ params: p, query, set }) => {
        const { stream } = await sessions.stream(p.id);
        const { from, bytes, truncated } = stream.read(query.since);
        set.headers["content-type"] = "application/octet-stream";
        set.headers["x-opendray-cursor"] = String(from + bytes.length);
        set.headers["x-opendray-buffer-start"] = String(stream.start);
        set.headers["x-opendray-from"] = String(from);
        set.headers["x-opendray-truncated"] = String(truncated);
        return new Response(bytes as Uint8Array<ArrayBuffer>);
      },
      { params, query: BufferQuery },
    );
}
