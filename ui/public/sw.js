// App shell cache: hashed assets cache-first, pages network-first with the cached shell offline,
// the sessions list network-first so the app still shows the last known list offline.
// __BUILD_ID__ is replaced at build time so every release installs a fresh worker.
const SHELL = "opendray-shell-__BUILD_ID__";
const DATA = "opendray-data";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      const res = await fetch("/", { cache: "no-cache" });
      const html = await res.clone().text();
      await cache.put("/", res);
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets), "/manifest.webmanifest", "/icon.svg"]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== SHELL && key !== DATA) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(key ?? request, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key ?? request);
    if (!hit) throw err;
    // Tell the page this is the last known copy, not fresh data.
    const headers = new Headers(hit.headers);
    headers.set("x-opendray-offline", "1");
    return new Response(hit.body, { status: hit.status, headers });
  }
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (url.pathname === "/api/sessions") {
    event.respondWith(networkFirst(req, DATA, "/api/sessions"));
  } else if (url.pathname.startsWith("/api/")) {
    return;
  } else if (req.mode === "navigate") {
    event.respondWith(networkFirst(req, SHELL, "/"));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      (async () => {
        const hit = await caches.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) (await caches.open(SHELL)).put(req, res.clone());
        return res;
      })(),
    );
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: "OpenDray", body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "OpenDray", {
      body: data.body || "",
      tag: data.sessionId || "opendray",
      renotify: true,
      icon: "/icon-192.png",
      badge: "/icon-192.png",
      data: {
        url: data.url || (data.sessionId ? `/s/${data.sessionId}` : "/"),
        sessionId: data.sessionId,
        promptId: data.promptId,
      },
      actions: Array.isArray(data.actions) ? data.actions.slice(0, 2) : [],
    }),
  );
});

/** The app keeps its login token here for the notification actions (a worker cannot read localStorage). */
async function savedToken() {
  const hit = await (await caches.open(DATA)).match("/__opendray/token");
  return hit ? hit.text() : null;
}

/** A tap on a notification's action button answers the session's question through the prompt API. */
async function answerFromNotification(data, key) {
  const token = await savedToken();
  const res = await fetch(`/api/sessions/${encodeURIComponent(data.sessionId)}/prompt/answer`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ promptId: data.promptId, keys: [key] }),
  });
  return res.ok;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  if (event.action && data.sessionId && data.promptId) {
    event.waitUntil(
      answerFromNotification(data, event.action).then(
        (ok) => ok || self.clients.openWindow(new URL(data.url || "/", location.origin).href),
      ),
    );
    return;
  }
  const target = new URL(event.notification.data?.url || "/", location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const w of windows) {
        if ("focus" in w) {
          await w.focus();
          if ("navigate" in w) await w.navigate(target);
          return;
        }
      }
      await self.clients.openWindow(target);
    })(),
  );
});
