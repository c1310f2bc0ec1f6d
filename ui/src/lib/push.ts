import { browserLanguage, t } from "../i18n";
import { api } from "./api";

export const pushSupported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function registration() {
  return (await navigator.serviceWorker.getRegistration()) ?? navigator.serviceWorker.register("/sw.js");
}

export async function pushEnabled(): Promise<boolean> {
  if (!pushSupported()) return false;
  const reg = await navigator.serviceWorker.getRegistration();
  return !!(await reg?.pushManager.getSubscription());
}

/** Subscribes this browser; throws with a readable reason when it cannot. */
export async function enablePush(): Promise<void> {
  const key = await api.pushKey();
  if (!key) throw new Error(t("This server does not offer push notifications."));
  if ((await Notification.requestPermission()) !== "granted")
    throw new Error(t("Notifications are blocked for this site."));
  const reg = await registration();
  await navigator.serviceWorker.ready;
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.publicKey) }));
  await sendSubscription(sub);
}

/** With the browser's language: notifications are in it when the user chose none in Settings. */
const sendSubscription = (sub: PushSubscription) => api.pushSubscribe({ ...sub.toJSON(), language: browserLanguage() });

/**
 * Sends this browser's subscription again (on each load and when the browser's language changes), so
 * the server has its current language; does nothing when this browser is not subscribed.
 */
export async function refreshPush(): Promise<void> {
  if (!window.isSecureContext || !pushSupported() || Notification.permission !== "granted") return;
  const sub = await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription();
  if (sub) await sendSubscription(sub);
}

export async function disablePush(): Promise<void> {
  const reg = await navigator.serviceWorker.getRegistration();
  const sub = await reg?.pushManager.getSubscription();
  if (!sub) return;
  await api.pushUnsubscribe(sub.endpoint).catch(() => {});
  await sub.unsubscribe();
}
