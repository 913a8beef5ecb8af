/* Imported by the Workbox-generated sw.js. The service worker caches and relays; it never calls
 * the API itself (only js/sync does), so a Background Sync wakes an open page to run the sync. */
self.addEventListener('sync', (event) => {
  if (event.tag !== 'folg-sync') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'folg-sync' });
    }),
  );
});
