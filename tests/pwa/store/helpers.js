// Shared by the store's tests (vitest on fake-indexeddb, and again in Chromium through
// tests/e2e/browser/entry.js, where every file shares one real IndexedDB: names stay unique).
import { Store } from '../../../pwa/src/js/store/index.js';

let n = 0;

/** A new, empty store; `prefix` names the test file so databases never clash. */
export async function freshStore(prefix = 'store-test') {
  n += 1;
  return new Store(`${prefix}-${n}`).open();
}

/** One plan item the server sent at version 3 (cursor "10"). */
export async function withSyncedItem(store, fields = {}) {
  await store.applyPage(
    [{ table: 'plan_items', id: 'i1', version: 3, deleted: false, fields: { plan_id: 'p1', unit_id: 'u1', priority: 1, goal: 'old goal', topic: 'old topic', ...fields } }],
    '10',
  );
}

export const SHA_A = 'a1'.repeat(32);
export const SHA_B = 'b2'.repeat(32);

/** A synced visit v1 with one finding f1 (version 3) and one uploaded photo p1 (version 4). */
export async function withSyncedVisit(store) {
  await store.putPhotoBlob(SHA_A, new Blob(['jpeg a']), 'image/jpeg');
  await store.markPhotoBlob(SHA_A, { uploaded: 1 });
  await store.applyPage([
    { table: 'visits', id: 'v1', version: 2, deleted: false, fields: { unit_id: 'u1', catalogue_id: 'c', visit_date: '2026-03-02', purpose: 'approval', announced: false, notes: null } },
    { table: 'findings', id: 'f1', version: 3, deleted: false, fields: { visit_id: 'v1', unit_id: 'u1', theme_id: 't', kind: 'observation', text: 'old text', deadline: null, rating: null, rating_justification: null, author_id: 'me' } },
    { table: 'visit_photos', id: 'p1', version: 4, deleted: false, fields: { visit_id: 'v1', unit_id: 'u1', sha256: SHA_A, content_type: 'image/jpeg', size_bytes: 6, created_by: 'me' } },
  ], '20');
}
