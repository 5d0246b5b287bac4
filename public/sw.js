// Linli service worker: precache the build, serve the shell offline, never take over silently.
// VERSION and PRECACHE are written by `cargo xtask finish-dist` (Trunk post_build hook) into the
// staged copy; keep each on its own line.
const VERSION = "dev";
const PRECACHE = [];

const CACHE = "linli-shell-" + VERSION;
const SHELL = "/index.html";
// A navigation waits this long for the network before the cached shell answers (weak signal).
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("linli-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
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
