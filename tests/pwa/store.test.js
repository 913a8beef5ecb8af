import { Store } from '../../pwa/src/js/store.js';

let n = 0;
async function freshStore() {
  n += 1;
  return new Store(`store-test-${n}`).open();
}

async function withSyncedItem(store, fields = {}) {
  await store.applyPage(
    [{ table: 'plan_items', id: 'i1', version: 3, deleted: false, fields: { plan_id: 'p1', unit_id: 'u1', priority: 1, goal: 'old goal', topic: 'old topic', ...fields } }],
    '10',
  );
}

describe('store', () => {
  test('applying a pulled page stores rows as synced and saves the cursor with them', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    expect(await store.get('plan_items', 'i1')).toMatchObject({ goal: 'old goal', priority: 1 });
    expect(await store.getMeta('cursor')).toBe('10');
    const raw = await store.db.plan_items.get('i1');
    expect(raw._status).toBe('synced');
    expect(raw._version).toBe(3);
    expect(raw._server).toBeUndefined();
  });

  test('an edit writes the row and its outbox entry before it resolves', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'new goal', topic: 'old topic' });
    const [entry] = await store.db.outbox.toArray();
    expect(entry).toMatchObject({
      table: 'plan_items', id: 'i1', op: 'upsert', base_version: 3,
      fields: { goal: 'new goal' }, base: { goal: 'old goal' }, mutation_id: null,
    });
    const raw = await store.db.plan_items.get('i1');
    expect(raw._status).toBe('updated');
    expect(raw._server.goal).toBe('old goal'); // the server copy is kept while edits wait
    expect(await store.pendingCount()).toBe(1);
  });

  test('two edits before a push coalesce into one mutation keeping the first base', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'second' });
    await store.update('plan_items', 'i1', { goal: 'third', topic: 'new topic' });
    const entries = await store.db.outbox.toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0].fields).toEqual({ goal: 'third', topic: 'new topic' });
    expect(entries[0].base).toEqual({ goal: 'old goal', topic: 'old topic' });
  });

  test('an edit after the entry was taken into a push starts a new entry', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'a' });
    const batch = await store.takeBatch(10);
    expect(batch.map((e) => e.mutation_id)).toEqual([1]);
    await store.update('plan_items', 'i1', { goal: 'b' });
    expect(await store.pendingCount()).toBe(2);
    // One entry per row per batch: the second waits for the first's answer.
    expect((await store.takeBatch(10)).map((e) => e.mutation_id)).toEqual([1]);
  });

  test('mutation ids are consecutive and survive a retry', async () => {
    const store = await freshStore();
    await store.create('plan_items', { id: 'a', plan_id: 'p1', priority: 1 });
    await store.create('plan_items', { id: 'b', plan_id: 'p1', priority: 2 });
    const first = await store.takeBatch(10);
    const again = await store.takeBatch(10);
    expect(first.map((e) => e.mutation_id)).toEqual([1, 2]);
    expect(again.map((e) => e.mutation_id)).toEqual([1, 2]);
  });

  test('a pulled change keeps pending local edits on top', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'mine' });
    await store.applyPage(
      [{ table: 'plan_items', id: 'i1', version: 4, deleted: false, fields: { plan_id: 'p1', unit_id: 'u1', priority: 1, goal: 'old goal', topic: 'theirs' } }],
      '11',
    );
    expect(await store.get('plan_items', 'i1')).toMatchObject({ goal: 'mine', topic: 'theirs' });
    expect(await store.pendingCount()).toBe(1);
  });

  test('acknowledged mutations leave the outbox and the row becomes synced', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'mine' });
    const batch = await store.takeBatch(10);
    await store.ackBatch(batch, [{ mutation_id: 1, status: 'applied', version: 4 }]);
    const raw = await store.db.plan_items.get('i1');
    expect(raw).toMatchObject({ goal: 'mine', _status: 'synced', _version: 4 });
    // A synced row is its own server copy: no second copy is stored.
    expect(raw._server).toBeUndefined();
    expect(await store.pendingCount()).toBe(0);
  });

  test('a rejected change is rolled back and kept for the user to read', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'bad' });
    const batch = await store.takeBatch(10);
    await store.ackBatch(batch, [{ mutation_id: 1, status: 'rejected', error: { error: 'forbidden', message: 'no' } }]);
    expect(await store.get('plan_items', 'i1')).toMatchObject({ goal: 'old goal' });
    const rejections = await store.getMeta('rejections');
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ table: 'plan_items', id: 'i1', fields: { goal: 'bad' } });
  });

  test('deleting a row that never reached the server forgets it', async () => {
    const store = await freshStore();
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', text: 'x' });
    await store.remove('progress_notes', 'n1');
    expect(await store.get('progress_notes', 'n1')).toBeUndefined();
    expect(await store.pendingCount()).toBe(0);
  });

  test('a server delete removes the row but keeps pending edits for the server to record', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { goal: 'mine' });
    await store.applyPage([{ table: 'plan_items', id: 'i1', version: 4, deleted: true, fields: {} }], '12');
    expect(await store.get('plan_items', 'i1')).toBeUndefined();
    expect(await store.pendingCount()).toBe(1);
  });

  test('read-only tables refuse local writes', async () => {
    const store = await freshStore();
    await expect(store.create('units', { name: 'x' })).rejects.toThrow(/read-only/);
  });

  test('a reset keeps rows with pending edits and the outbox, and forgets the cursor', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.create('plan_items', { id: 'mine', plan_id: 'p1', priority: 2 });
    await store.resetForFullPull();
    expect(await store.get('plan_items', 'i1')).toBeUndefined();
    expect(await store.get('plan_items', 'mine')).toBeDefined();
    expect(await store.getMeta('cursor')).toBeNull();
    expect(await store.pendingCount()).toBe(1);
  });

  test('a row kept through a reset takes the lower version a restored server sends', async () => {
    const store = await freshStore();
    await withSyncedItem(store, { goal: 'acknowledged, then lost in the restore' });
    await store.update('plan_items', 'i1', { topic: 'not sent yet' });
    await store.resetForFullPull();
    await store.applyPage([{ table: 'plan_items', id: 'i1', version: 2, deleted: false, fields: { plan_id: 'p1', unit_id: 'u1', priority: 1, goal: 'as backed up', topic: 'old topic' } }], '5');
    expect(await store.get('plan_items', 'i1')).toMatchObject({ goal: 'as backed up', topic: 'not sent yet' });
    const raw = await store.db.plan_items.get('i1');
    expect(raw._version).toBe(2);
    expect(raw._reset).toBeUndefined();
    // Caught up: an older version is ignored again.
    await store.applyPage([{ table: 'plan_items', id: 'i1', version: 1, deleted: false, fields: { plan_id: 'p1', goal: 'older' } }], '6');
    expect(await store.get('plan_items', 'i1')).toMatchObject({ goal: 'as backed up' });
  });

  test('a kept row the reset pull did not bring is ordinary again once the server answers for it', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.update('plan_items', 'i1', { topic: 'not sent yet' });
    await store.resetForFullPull();
    const batch = await store.takeBatch(10);
    await store.ackBatch(batch, [{ mutation_id: batch[0].mutation_id, status: 'applied', version: 4 }]);
    expect((await store.db.plan_items.get('i1'))._reset).toBeUndefined();
    await store.applyPage([{ table: 'plan_items', id: 'i1', version: 2, deleted: false, fields: { plan_id: 'p1', topic: 'older' } }], '7');
    expect(await store.get('plan_items', 'i1')).toMatchObject({ topic: 'not sent yet' });
  });

  test('wipe deletes the database', async () => {
    const store = await freshStore();
    await withSyncedItem(store);
    await store.wipe();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(store.name);
  });
});

test('item stats count items and overdue ones of a plan', async () => {
  const store = await new Store('stats').open();
  const item = (id, fields) => ({ table: 'plan_items', id, version: 1, deleted: false, fields: { plan_id: 'p', priority: 1, ...fields } });
  await store.applyPage([
    item('a', { end_date: '2026-01-01', state: 'in_progress' }),
    item('b', { end_date: '2026-01-01', state: 'done' }),
    item('c', { end_date: '2026-01-01', ongoing: true }),
    item('d', { end_date: '2027-01-01' }),
    item('e', {}),
  ], 'x');
  expect(await store.itemStats('p', '2026-06-01')).toEqual({ items: 5, overdue: 1 });
});

test('upgrading a version 1 database derives the due index of existing items', async () => {
  const { default: Dexie } = await import('dexie');
  const old = new Dexie('upgrade-v1');
  old.version(1).stores({
    units: 'id, parent_id', catalogues: 'id, code', themes: 'id, catalogue_id', criteria: 'id, theme_id',
    plans: 'id, unit_id, _status', plan_items: 'id, plan_id, unit_id, _status',
    progress_notes: 'id, item_id, plan_id, _status', conflicts: 'id, status, row_id, unit_id',
    outbox: '++seq, [table+id], mutation_id', meta: 'key',
  });
  await old.plan_items.put({ id: 'a', plan_id: 'p', end_date: '2026-01-01', state: 'in_progress', _status: 'synced', _version: 1 });
  old.close();
  const store = await new Store('upgrade-v1').open();
  expect(store.db.verno).toBe(4); // upgraded through every later step
  expect(await store.itemStats('p', '2026-06-01')).toEqual({ items: 1, overdue: 1 });
  expect(await store.get('plan_items', 'a')).not.toHaveProperty('_due');
});

test('inspection rows go through the outbox without their server fields, and a photo waits until uploaded', async () => {
  const store = await freshStore();
  const visit = await store.create('visits', { unit_id: 'u1', visit_date: '2026-03-02', purpose: 'approval', created_by: 'me', catalogue_id: 'c' });
  await store.create('findings', { visit_id: visit.id, unit_id: 'u1', theme_id: 't', kind: 'paabud', deadline: '2026-05-01', text: 'x', author_id: 'me' });
  const entries = await store.db.outbox.toArray();
  expect(entries.map((e) => e.table)).toEqual(['visits', 'findings']);
  expect(entries[0].fields).not.toHaveProperty('created_by');
  expect(entries[0].fields).not.toHaveProperty('catalogue_id');
  expect(entries[1].fields).not.toHaveProperty('author_id');
  expect(entries[1].fields).not.toHaveProperty('unit_id');
  expect((await store.listFindings(visit.id)).map((f) => f.kind)).toEqual(['paabud']);

  await store.putPhotoBlob('ab'.repeat(32), new Blob(['jpeg']), 'image/jpeg');
  await store.putPhotoBlob('ab'.repeat(32), new Blob(['jpeg']), 'image/jpeg'); // same bytes: one row
  expect(await store.pendingCount()).toBe(3);
  await store.markPhotoBlob('ab'.repeat(32), { uploaded: 1 });
  expect(await store.pendingCount()).toBe(2);
  expect(await store.pendingPhotoBlobs()).toEqual([]);
});

// ---- correcting a visit (ui/visits.js: edit, delete) -------------------------------------------

const SHA_A = 'a1'.repeat(32);
const SHA_B = 'b2'.repeat(32);

async function withSyncedVisit(store) {
  await store.putPhotoBlob(SHA_A, new Blob(['jpeg a']), 'image/jpeg');
  await store.markPhotoBlob(SHA_A, { uploaded: 1 });
  await store.applyPage([
    { table: 'visits', id: 'v1', version: 2, deleted: false, fields: { unit_id: 'u1', catalogue_id: 'c', visit_date: '2026-03-02', purpose: 'approval', announced: false, notes: null } },
    { table: 'findings', id: 'f1', version: 3, deleted: false, fields: { visit_id: 'v1', unit_id: 'u1', theme_id: 't', kind: 'observation', text: 'old text', deadline: null, rating: null, rating_justification: null, author_id: 'me' } },
    { table: 'visit_photos', id: 'p1', version: 4, deleted: false, fields: { visit_id: 'v1', unit_id: 'u1', sha256: SHA_A, content_type: 'image/jpeg', size_bytes: 6, created_by: 'me' } },
  ], '20');
}

test('editing a synced finding sends only the changed fields, their base and the version seen', async () => {
  const store = await freshStore();
  await withSyncedVisit(store);
  await store.update('findings', 'f1', { kind: 'paabud', deadline: '2026-05-01', text: 'old text', theme_id: 't' });
  await store.update('findings', 'f1', { text: 'new text' });
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({
    table: 'findings', id: 'f1', op: 'upsert', base_version: 3,
    fields: { kind: 'paabud', deadline: '2026-05-01', text: 'new text' },
    base: { kind: 'observation', deadline: null, text: 'old text' },
  });
  expect(await store.listFindings('v1')).toMatchObject([{ text: 'new text', kind: 'paabud' }]);
});

test('deleting a visit deletes its findings and photos before it; rows made here are forgotten', async () => {
  const store = await freshStore();
  await withSyncedVisit(store);
  await store.create('findings', { id: 'f2', visit_id: 'v1', unit_id: 'u1', theme_id: 't', kind: 'observation', text: 'offline' });
  await store.putPhotoBlob(SHA_B, new Blob(['jpeg b']), 'image/jpeg');
  await store.create('visit_photos', { id: 'p2', visit_id: 'v1', unit_id: 'u1', sha256: SHA_B, content_type: 'image/jpeg', size_bytes: 6 });
  await store.removeVisit('v1');
  const entries = await store.db.outbox.orderBy('seq').toArray();
  expect(entries.map((e) => [e.op, e.table, e.id])).toEqual([
    ['delete', 'findings', 'f1'], ['delete', 'visit_photos', 'p1'], ['delete', 'visits', 'v1'],
  ]);
  expect(entries.map((e) => e.base_version)).toEqual([3, 4, 2]);
  expect(await store.get('findings', 'f2')).toBeUndefined();
  expect(await store.get('visit_photos', 'p2')).toBeUndefined();
  expect(await store.listVisits('u1')).toEqual([]);
  // No bytes of a deleted photo wait for upload (nor stay on the device).
  expect(await store.db.photo_blobs.count()).toBe(0);
  expect(await store.pendingCount()).toBe(3);
});

test('deleting a photo drops its bytes unless another record shows the same ones', async () => {
  const store = await freshStore();
  await withSyncedVisit(store);
  await store.create('visit_photos', { id: 'p2', visit_id: 'v1', unit_id: 'u1', sha256: SHA_A, content_type: 'image/jpeg', size_bytes: 6 });
  await store.removePhoto('p2');
  expect(await store.getPhotoBlob(SHA_A)).toBeDefined();
  expect(await store.pendingCount()).toBe(0); // p2 never left the device
  await store.removePhoto('p1');
  expect(await store.getPhotoBlob(SHA_A)).toBeUndefined();
  expect(await store.listVisitPhotos('v1')).toEqual([]);
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({ table: 'visit_photos', id: 'p1', op: 'delete', base_version: 4 });
});

test('a delete the server refuses brings the row back, and its reason waits until read', async () => {
  const store = await freshStore();
  await withSyncedVisit(store);
  await store.remove('findings', 'f1');
  expect(await store.listFindings('v1')).toEqual([]);
  const batch = await store.takeBatch(10);
  const reason = 'A plan item answers this finding; it cannot be deleted.';
  await store.ackBatch(batch, [{ mutation_id: 1, status: 'rejected', error: { error: 'invalid_state', message: reason } }]);
  expect(await store.listFindings('v1')).toMatchObject([{ id: 'f1', text: 'old text', deleted: false }]);
  expect((await store.db.findings.get('f1'))._status).toBe('synced');
  const [rejection] = await store.listRejections();
  expect(rejection).toMatchObject({ table: 'findings', id: 'f1', op: 'delete', error: { message: reason } });
  await store.markRejectionsSeen([rejection]);
  expect(await store.listRejections()).toMatchObject([{ id: 'f1', seen: true }]);
});
