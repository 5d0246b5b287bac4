// Linli service worker: precache the build, serve the shell offline, never take over silently;
// and Web Push (below).
// VERSION and PRECACHE are written by `cargo xtask finish-dist` (Trunk post_build hook) into the
// staged copy; keep each on its own line.
const VERSION = "dev";
const PRECACHE = [];

const CACHE = "linli-shell-" + VERSION;
const SHELL = "/index.html";
// A navigation waits this long for the network before the cached shell answers (weak signal).
const NAVIGATION_TIMEOUT_MS = 4000;

// Icons are not content-hashed and the platform lets the HTTP cache keep them for a day: a new
// version revalidates them rather than taking a stale copy from that cache.
const precacheRequest = (url) => (url.startsWith("/icons/") ? new Request(url, { cache: "no-cache" }) : url);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map(precacheRequest))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("linli-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
      .then(() => refreshKeys())
  );
});

// The page asks for this only after the user tapped "Reload" on the update prompt.
self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

function cachedShell() {
  return caches.open(CACHE).then((cache) => cache.match(SHELL));
}

function networkFirstNavigation(request) {
  return new Promise((resolve) => {
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      cachedShell().then((shell) => resolve(shell || Response.error()));
    };
    const timer = setTimeout(fallback, NAVIGATION_TIMEOUT_MS);
    fetch(request)
      .then((response) => {
        // A server error page is worse than the cached shell.
        if (response.status >= 500) return fallback();
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      })
      .catch(fallback);
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The app pulls: the community's signing keys are fetched alongside (outage relay).
  if (url.origin === self.location.origin && url.pathname.endsWith("/pull")) {
    event.waitUntil(refreshKeys());
  }
  // The API and the staff console (an online desk with its own files) are never the phone app's.
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname === "/console" || url.pathname.startsWith("/console/")) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstNavigation(request));
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request)))
  );
});

// ---- Signing keys (docs/protocol.md §5.20) ----
// The phone checks alerts that reach it from another phone against the community's keys. The
// history first received is kept for good (meta `keys_first`): later histories (`keys_latest`)
// count only through key sets signed by keys already trusted, checked by the app's relay.
// Fetched alongside the app's pulls, at most every 10 minutes.

let keysFetchedAt = 0;

async function refreshKeys() {
  const now = Date.now();
  if (now - keysFetchedAt < 600000) return;
  keysFetchedAt = now;
  try {
    const answer = await fetch("/api/v1/public/keys");
    if (!answer.ok) { keysFetchedAt = 0; return; }
    const keys = JSON.stringify((await answer.json()).keys);
    const stored = await withStore("meta", (meta) => {
      const first = meta.get("keys_first");
      first.onsuccess = () => {
        if (!first.result) meta.put({ key: "keys_first", value: keys });
      };
      meta.put({ key: "keys_latest", value: keys });
    });
    // Before the app has made its database there is nowhere to keep them: try again later.
    if (!stored) keysFetchedAt = 0;
  } catch (e) {
    keysFetchedAt = 0; // offline: the next pull tries again
  }
}

// Runs `write` on one object store of the app's database in a read-write transaction. Never
// creates the database: before the app has made it, there is nothing to add to.
function withStore(name, write) {
  return new Promise((resolve) => {
    const open = indexedDB.open("linli");
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(name)) { db.close(); return resolve(false); }
      const tx = db.transaction(name, "readwrite");
      write(tx.objectStore(name));
      tx.oncomplete = () => { db.close(); resolve(true); };
      tx.onerror = tx.onabort = () => { db.close(); resolve(false); };
    };
  });
}

// ---- Web Push (docs/protocol.md §5.19) ----
// The page asks the worker to subscribe (after the resident allowed notifications) and to
// unsubscribe (sign-out); the worker answers on the MessageChannel port it was given.

function keyBytes(b64url) {
  const s = atob(b64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function sameKey(buffer, b64url) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  const b = keyBytes(b64url);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// The device and language of the last registration, so that a subscription the browser
// replaces (pushsubscriptionchange) is registered again without the page.
const PUSH_SETTINGS = "/__linli-push-settings";

async function rememberPush(settings) {
  const cache = await caches.open("linli-push");
  if (settings) await cache.put(PUSH_SETTINGS, new Response(JSON.stringify(settings)));
  else await cache.delete(PUSH_SETTINGS);
}

async function pushSubscribe(token, lang) {
  await rememberPush({ token, lang });
  const answer = await fetch("/api/v1/public/push-key");
  if (!answer.ok) throw new Error("push-key " + answer.status);
  const key = (await answer.json()).public_key;
  const manager = self.registration.pushManager;
  let sub = await manager.getSubscription();
  // Subscribed with another platform key (the key file was replaced): start again.
  if (sub && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  if (!sub) sub = await manager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const json = sub.toJSON();
  const stored = await fetch("/api/v1/push/subscription", {
    method: "PUT",
    headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
    body: JSON.stringify({ endpoint: json.endpoint, keys: json.keys, lang }),
  });
  if (!stored.ok) throw new Error("subscription " + stored.status);
}

async function pushUnsubscribe(token) {
  await rememberPush(null);
  const sub = await self.registration.pushManager.getSubscription();
  // Locally first: this phone stops receiving at once, even offline.
  if (sub) await sub.unsubscribe();
  if (token) {
    await fetch("/api/v1/push/subscription", { method: "DELETE", headers: { Authorization: "Bearer " + token } }).catch(() => {});
  }
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const hit = await (await caches.open("linli-push")).match(PUSH_SETTINGS);
    if (!hit) return;
    const { token, lang } = await hit.json();
    await pushSubscribe(token, lang);
  })().catch(() => {}));
});

self.addEventListener("message", (event) => {
  const m = event.data;
  if (!m || typeof m !== "object" || !event.ports[0]) return;
  const port = event.ports[0];
  const job = m.type === "PUSH_SUBSCRIBE" ? pushSubscribe(m.token, m.lang)
    : m.type === "PUSH_UNSUBSCRIBE" ? pushUnsubscribe(m.token) : null;
  if (!job) return;
  event.waitUntil(job.then(() => port.postMessage({ ok: true }), (e) => port.postMessage({ ok: false, error: String(e) })));
});

// Stores a pushed alert where the app reads published content (IndexedDB `linli`, store
// `content`, key `alert:<id>`), so it is on the phone even if the resident never opens the app.
function storeAlert(id, body) {
  return withStore("content", (content) =>
    content.put({ key: "alert:" + id, kind: "alert", id, body }));
}

async function fetchAlert(id) {
  try {
    const answer = await fetch("/api/v1/public/alerts/" + encodeURIComponent(id));
    if (answer.ok) await storeAlert(id, await answer.text());
  } catch (e) {
    // Offline: the next sync brings it.
  }
  // An open app syncs now (the sync engine listens on this channel for saves in other tabs).
  try { new BroadcastChannel("linli-sync").postMessage("push"); } catch (e) {}
}

self.addEventListener("push", (event) => {
  let p = null;
  try { p = event.data ? event.data.json() : null; } catch (e) { p = null; }
  if (!p || typeof p.alert_id !== "string") return;
  const shown = self.registration.showNotification(p.title, {
    body: p.body,
    lang: p.lang,
    // One notification per alert: an update or a cancel replaces it, and alerts again.
    tag: "alert-" + p.alert_id,
    renotify: true,
    requireInteraction: p.severity === "extreme",
    icon: "/icons/icon-192.png",
    data: { url: "/alerts/" + encodeURIComponent(p.alert_id) },
  });
  event.waitUntil(Promise.all([shown, fetchAlert(p.alert_id)]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // The tag names the alert too (a notification's data does not always survive a restart).
  const tag = event.notification.tag || "";
  const url = (event.notification.data && event.notification.data.url)
    || (tag.startsWith("alert-") ? "/alerts/" + encodeURIComponent(tag.slice(6)) : "/alerts");
  event.waitUntil((async () => {
    // A window of the app this worker controls (never the staff console's).
    const open = await self.clients.matchAll({ type: "window" });
    for (const c of open) {
      const at = new URL(c.url);
      if (at.origin !== self.location.origin || at.pathname.startsWith("/console")) continue;
      const moved = await c.navigate(url).catch(() => null);
      if (moved) return moved.focus().catch(() => moved);
    }
    return self.clients.openWindow(url);
  })());
});
