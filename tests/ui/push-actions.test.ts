import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CDPSession, Worker } from "playwright-core";
import { payloadFor, type SessionEvent } from "../../src/push";
import { waitFor } from "../harness";
import { login, startUi, type UiEnv } from "./support";

// What the page's service worker sees: its registration, and the event a notification tap fires.
type SwScope = {
  registration: ServiceWorkerRegistration;
  NotificationEvent: new (type: string, init: { notification: Notification; action?: string }) => Event;
};

let env: UiEnv;
let cdp: CDPSession;
let registrationId = "";
let worker: Worker;

beforeAll(async () => {
  env = await startUi();
  await env.context.grantPermissions(["notifications"], { origin: env.appUrl });
  await login(env);
  await env.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  worker = env.context.serviceWorkers()[0] ?? (await env.context.waitForEvent("serviceworker"));
  cdp = await env.context.newCDPSession(env.page);
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
    registrationId ||= e.registrations.find((r) => !r.isDeleted)?.registrationId ?? "";
  });
  await cdp.send("ServiceWorker.enable");
  await waitFor(() => registrationId, "the service worker's registration");
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** The notification the page's service worker shows for `tag`, read from whichever worker runs now. */
const shownFor = (tag: string) =>
  // Chromium stops an idle worker and starts a new one for the next event; the old handle is stale.
  (env.context.serviceWorkers().at(-1) ?? worker).evaluate(async (t) => {
    const shown = await (globalThis as unknown as SwScope).registration.getNotifications({ tag: t });
    return shown.map((n) => ({
      title: n.title,
      actions: (n as { actions?: { title: string }[] }).actions ?? [],
    }))[0];
  }, tag);

/**
 * A push message as the push service hands it to the browser: the payload the server sends. A push
 * service delivers again what a worker did not take; CDP does not, so a delivery that reached a worker
 * Chromium was stopping is sent once more.
 */
async function push(event: SessionEvent) {
  const deliver = () =>
    cdp.send("ServiceWorker.deliverPushMessage", {
      origin: new URL(env.appUrl).origin,
      registrationId,
      data: JSON.stringify(payloadFor(event)),
    });
  await deliver();
  const once = await waitFor(() => shownFor(event.sessionId), "the notification on the phone", 5_000).catch(() => null);
  if (once) return once;
  await deliver();
  return waitFor(() => shownFor(event.sessionId), "the notification on the phone (delivered twice)");
}

/**
 * Chromium has no way to tap a shown notification from a test, so the worker gets the event a tap fires.
 * Being untrusted, it cannot focus or open a window: the tap that opens the session stays untested here.
 */
async function tap(sessionId: string, action?: string) {
  await (env.context.serviceWorkers().at(-1) ?? worker).evaluate(
    async ([tag, act]) => {
      const sw = globalThis as unknown as SwScope;
      const [n] = await sw.registration.getNotifications({ tag });
      if (!n) throw new Error("no notification");
      (globalThis as unknown as EventTarget).dispatchEvent(
        new sw.NotificationEvent("notificationclick", { notification: n, ...(act ? { action: act } : {}) }),
      );
    },
    [sessionId, action] as const,
  );
}

test("a waiting session's notification offers its answers, and tapping one answers through the prompt API", async () => {
  const { server } = env;
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { name: "deploy", cwd: server.home, sessionType: "terminal" },
  });
  const id = created.body.id as string;
  await server.api(`/api/sessions/${id}/input`, {
    method: "POST",
    json: { input: 'read -p "Deploy now? [y/N] " a; echo "deploy=$a"\r' },
  });
  const prompt = await waitFor(
    async () => (await server.api(`/api/sessions/${id}/prompt`)).body,
    "the session's question",
    30_000,
  );
  const shown = await push({
    kind: "waiting",
    sessionId: id,
    sessionName: "deploy",
    detail: prompt.question,
    prompt: { id: prompt.id, options: prompt.options },
  });
  expect(shown.title).toBe("deploy is waiting for you");
  expect(shown.actions.map((a: { title: string }) => a.title)).toEqual(
    prompt.options.slice(0, 2).map((o: { label: string; key: string }) => o.label || o.key),
  );

  const yes = prompt.options.find((o: { label: string }) => /yes/i.test(o.label)).key as string;
  await tap(id, yes);
  const screen = await waitFor(async () => {
    const s = await server.api(`/api/sessions/${id}/screen`);
    return s.body.lines.some((l: string) => l.includes("deploy=y")) ? s.body : null;
  }, "the answer typed into the session");
  expect(screen.lines.join("\n")).toContain("deploy=y");
  await waitFor(async () => (await server.api(`/api/sessions/${id}/prompt`)).body === null, "the question gone");
}, 90_000);
