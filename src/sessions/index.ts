import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import type { RateLimiter } from "../http";
import { BufferQuery, CreateSessionBody, InputBody, ResizeBody, SessionIdParams } from "./model";
import { outputRange } from "./output-range";
import type { SessionService } from "./service";
import { createSessionSocket } from "./ws";

export { searchEndedSession } from "./ended-search";
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
      async ({ params: p, query }) => {
        const { stream } = await sessions.stream(p.id);
        const range = outputRange(stream, query.since, query.until);
        return new Response(range.body, {
          headers: {
            "content-type": "application/octet-stream",
            "content-length": String(range.to - range.from),
            "x-opendray-cursor": String(range.to),
            "x-opendray-buffer-start": String(stream.oldest),
            "x-opendray-from": String(range.from),
            "x-opendray-truncated": String(range.truncated),
          },
        });
      },
      { params, query: BufferQuery },
    )
    .get(
      "/:id/transcript",
      async ({ params: p }) => {
        const { stream } = await sessions.stream(p.id);
        const range = outputRange(stream);
        return new Response(range.body, {
          headers: {
            "content-type": "application/octet-stream",
            "content-disposition": `attachment; filename="opendray-${p.id}.log"`,
            "content-length": String(range.to - range.from),
            "x-opendray-cursor": String(range.to),
            "x-opendray-from": String(range.from),
          },
        });
      },
      { params },
    );
}
