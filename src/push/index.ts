import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { SubscribeBody, UnsubscribeBody } from "./model";
import type { PushService } from "./service";

export type { SessionEvent } from "./model";
export { type PushDeps, PushService, type PushSessions, payloadFor } from "./service";

/** Web Push API for the web app (behind login): the VAPID public key and (un)subscribing a browser. */
export function createPushRoutes(deps: { push: PushService; auth: AuthService }) {
  const { push } = deps;
  return new Elysia({ prefix: "/api/push" })
    .use(requireAuth(deps.auth))
    .get("/vapid-public-key", async () => ({ publicKey: await push.publicKey() }))
    .get("/status", async () => ({ subscriptions: await push.count() }))
    .post(
      "/subscribe",
      async ({ body, request, set }) => {
        await push.subscribe(body, request.headers.get("user-agent"));
        set.status = 201;
        return { status: "subscribed" };
      },
      { body: SubscribeBody },
    )
    .post(
      "/unsubscribe",
      async ({ body }) => {
        await push.unsubscribe(body.endpoint);
        return { status: "unsubscribed" };
      },
      { body: UnsubscribeBody },
    );
}
