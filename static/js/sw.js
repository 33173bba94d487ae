/* The service worker (served at /sw.js with the whole site as its scope, core/offline.py).

   - The pages an officer needs at the face: the hazard and 三违 ledgers (lists and records), their capture forms, the
     home page and 待上传 (/offline/) are fetched from the network first; each good answer is kept in a cache of the
     signed-in user (named by the X-Session-User header the server adds), so that without signal the page last opened
     is shown instead, marked "离线副本 · 加载于 <time>".
   - When the header names another user, every other user's copies are deleted first; logout deletes all of them
     (offline.js, and the server's Clear-Site-Data).
   - The site's static files are served from a cache and refreshed behind it.
   Writes (POST) are never touched here: offline.js queues them.

   A new release: change VERSION, so that browsers drop the old caches when the new worker takes over. */
"use strict";

const VERSION = "v3";
const STATIC_CACHE = "static-" + VERSION;
const META_CACHE = "meta-" + VERSION;
const PAGES_PREFIX = "pages-";
const USER_ENTRY = "/__session-user__";
const PAGES = /^\/(?:|offline\/|(?:hazards|violations)\/(?:\d+\/|new\/)?)$/;
// A copy is shown offline only while the session it was loaded in could still be alive (SESSION_COOKIE_AGE, put in by
// core/offline.py): an officer whose session ended leaves nothing readable to the next person holding the phone.
const MAX_AGE_MS = Number("__SESSION_SECONDS__") * 1000 || 8 * 3600 * 1000;

function pagesCache(user) {
  return PAGES_PREFIX + user + "-" + VERSION;
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !n.endsWith("-" + VERSION)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-static" && Array.isArray(data.urls)) {
    const own = data.urls.filter((u) => new URL(u, self.location.href).origin === self.location.origin);
    event.waitUntil(
      caches.open(STATIC_CACHE).then((cache) =>
        Promise.all(own.map((u) => cache.match(u).then((hit) => hit || cache.add(u).catch(() => undefined)))),
      ),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate" && PAGES.test(url.pathname)) {
    event.respondWith(networkFirst(request, url));
  }
});

async function staticFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => undefined);
  return hit || (await fresh) || Response.error();
}

async function lastUser() {
  const hit = await (await caches.open(META_CACHE)).match(USER_ENTRY);
  return hit ? hit.text() : null;
}

async function forgetPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PAGES_PREFIX)).map((n) => caches.delete(n)));
  await (await caches.open(META_CACHE)).delete(USER_ENTRY);
}

/* The signed-in user changed (or is new): nothing of anyone else stays. */
async function rememberUser(user) {
  if ((await lastUser()) === user) return;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PAGES_PREFIX) && n !== pagesCache(user)).map((n) => caches.delete(n)));
  await (await caches.open(META_CACHE)).put(USER_ENTRY, new Response(user));
}

async function networkFirst(request, url) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return offlineCopy(url);
  }
  const user = response.headers.get("X-Session-User");
  const type = response.headers.get("Content-Type") || "";
  if (response.ok && !user && type.startsWith("text/html")) {
    await forgetPages(); // signed out (the login page answered): the last user's copies go
  } else if (response.status === 200 && user && type.startsWith("text/html")) {
    await rememberUser(user);
    const headers = new Headers(response.headers);
    headers.set("X-Loaded-At", new Date().toISOString());
    const copy = new Response(await response.clone().blob(), { status: 200, headers });
    await (await caches.open(pagesCache(user))).put(url.pathname + url.search, copy);
  }
  return response;
}

function two(n) {
  return String(n).padStart(2, "0");
}

async function offlineCopy(url) {
  const user = await lastUser();
  if (user) {
    const cache = await caches.open(pagesCache(user));
    let hit = await cache.match(url.pathname + url.search);
    // a form opened with ?inspection= or ?offline= (correcting a queued record): the same blank form serves
    if (!hit && url.pathname.endsWith("/new/") || !hit && url.pathname === "/offline/") {
      hit = await cache.match(url.pathname, { ignoreSearch: true });
    }
    if (hit && Date.now() - Date.parse(hit.headers.get("X-Loaded-At") || 0) > MAX_AGE_MS) {
      await forgetPages(); // older than a session: that session is over, its copies go
      hit = undefined;
    }
    if (hit) return withBanner(hit);
  }
  const page =
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>无网络</title></head>' +
    '<body style="font-family:sans-serif;padding:1rem"><h1 style="font-size:1.2rem">当前无网络</h1>' +
    "<p>这个页面没有保存在本机（只有联网时打开过的台账页面才能离线查看）。来网后请刷新。</p>" +
    '<p><a href="/offline/">查看待上传的记录</a></p></body></html>';
  return new Response(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function withBanner(cached) {
  const loaded = new Date(cached.headers.get("X-Loaded-At") || Date.now());
  const when =
    loaded.getFullYear() + "-" + two(loaded.getMonth() + 1) + "-" + two(loaded.getDate()) + " " +
    two(loaded.getHours()) + ":" + two(loaded.getMinutes());
  const banner =
    '<div class="alert alert-warning py-2" role="status" data-testid="offline-copy">' +
    "离线副本 · 加载于 " + when + "（当前无网络，显示的是上次打开时的内容）</div>";
  const html = await cached.text();
  const main = html.indexOf("<main");
  const at = main >= 0 ? html.indexOf(">", main) + 1 : html.indexOf(">", html.indexOf("<body")) + 1;
  const headers = new Headers(cached.headers);
  headers.delete("Content-Length");
  return new Response(html.slice(0, at) + banner + html.slice(at), { status: 200, headers });
}
