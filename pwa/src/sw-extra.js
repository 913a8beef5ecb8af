/* Imported by the Workbox-generated sw.js; bundled by build.mjs (esbuild, one classic script)
 * so it can carry the notification titles of every locale.
 *
 * The worker caches, relays and shows notifications. It never calls the authenticated API:
 * only the page holds the token (js/sync, js/push). So a Background Sync wakes an open page to
 * run the sync, and a changed push subscription is re-made here but reported to the server by
 * the page (at once when one is open, else on the next start: js/push.js reconcilePush). The
 * one request it may make is GET /api/push/vapid-public-key, public and the same for everyone,
 * when the browser hands over no key to re-subscribe with. */
import { notification as da } from './locales/da.json';
import { notification as sv } from './locales/sv.json';
import { notification as en } from './locales/en.json';
import { notificationFor, targetUrl, routeHash, base64UrlToBytes } from './js/notification.js';

const STRINGS = { da, sv, en };

/** The worker's own scope, typed as one (tsconfig.sw.json checks this file in that realm). */
const worker = /** @type {ServiceWorkerGlobalScope & { folgOpenRoute?: Function }} */ (/** @type {any} */ (self));

worker.addEventListener('sync', (/** @type {any} */ event) => {
  if (event.tag !== 'folg-sync') return;
  event.waitUntil(tellWindows({ type: 'folg-sync' }));
});

worker.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {}; // not JSON: still show something, the home route
  }
  const { title, options } = notificationFor(payload, STRINGS);
  event.waitUntil(worker.registration.showNotification(title, options));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const route = event.notification.data && event.notification.data.url;
  event.waitUntil(openRoute(route));
});

worker.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe(event.oldSubscription, event.newSubscription));
});

/**
 * Focus a window of the app on the route, or open one. The route is a hash route and the app
 * shell is precached, so this works offline: the page renders the item from IndexedDB.
 * An open page is told to change its hash (it may not be controlled by this worker yet, and
 * WindowClient.navigate only works on controlled ones).
 */
async function openRoute(route) {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).origin === worker.location.origin);
  if (!open) return worker.clients.openWindow(targetUrl(route, worker.location.origin));
  open.postMessage({ type: 'folg-open', hash: routeHash(route) });
  try {
    await open.focus();
  } catch {
    // focus() needs the click's user activation; the hash has changed anyway.
  }
  return open;
}
// No DevTools command clicks a notification: the e2e test runs the click's path through this.
worker.folgOpenRoute = openRoute;

async function resubscribe(oldSubscription, newSubscription) {
  let subscription = newSubscription;
  if (!subscription) {
    let key = oldSubscription && oldSubscription.options && oldSubscription.options.applicationServerKey;
    if (!key) {
      const res = await fetch('/api/push/vapid-public-key', { cache: 'no-store' }).catch(() => null);
      const body = res && res.ok ? await res.json() : null;
      key = body && body.public_key ? base64UrlToBytes(body.public_key) : null;
    }
    if (key) {
      subscription = await worker.registration.pushManager
        .subscribe({ userVisibleOnly: true, applicationServerKey: key })
        .catch(() => null);
    }
  }
  await tellWindows({
    type: 'folg-push-changed',
    oldEndpoint: oldSubscription ? oldSubscription.endpoint : null,
  });
  return subscription;
}

async function tellWindows(message) {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}
