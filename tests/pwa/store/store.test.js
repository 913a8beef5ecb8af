// The Store itself: connections, meta, change listeners (pwa/src/js/store/store.js).
import { freshStore, withSyncedItem } from './helpers.js';

test('wipe deletes the database', async () => {
  const store = await freshStore('store');
  await withSyncedItem(store);
  await store.wipe();
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).not.toContain(store.name);
});

test('meta values are kept until deleted, and listeners hear every local write', async () => {
  const store = await freshStore('store');
  expect(await store.getMeta('client_id', 'none')).toBe('none');
  await store.setMeta('client_id', 'abc');
  expect(await store.getMeta('client_id')).toBe('abc');
  await store.deleteMeta('client_id');
  expect(await store.getMeta('client_id')).toBeNull();

  const heard = [];
  const stop = store.onChange((what) => heard.push(what));
  await store.create('plans', { id: 'p', unit_id: 'u', title: 'x' });
  stop();
  await store.update('plans', 'p', { title: 'y' });
  expect(heard).toEqual([{ table: 'plans', id: 'p' }]);
});
