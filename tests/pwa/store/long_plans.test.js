// Reads for a long plan (issue 21): the notes of the rows drawn, in one query
// (pwa/src/js/store/queries.js notesForItems).
import { freshStore } from './helpers.js';

test('the notes of several items come in one read, newest first per item, with local ones', async () => {
  const store = await freshStore('long-plans');
  const note = (id, item, at) => ({
    table: 'progress_notes', id, version: 1, deleted: false, fields: { item_id: item, plan_id: 'p', text: id, created_at: at },
  });
  await store.applyPage([
    note('n1', 'a', '2026-01-01T10:00:00Z'),
    note('n2', 'a', '2026-03-01T10:00:00Z'),
    note('n3', 'b', '2026-02-01T10:00:00Z'),
    note('n4', 'c', '2026-02-01T10:00:00Z'), // an item not asked for
  ], '1');
  await store.create('progress_notes', { id: 'n5', item_id: 'b', plan_id: 'p', text: 'mine', created_at: '2026-04-01T10:00:00Z' });

  const byItem = await store.notesForItems(['a', 'b', 'empty']);
  expect([...byItem.keys()]).toEqual(['a', 'b', 'empty']);
  expect(byItem.get('a').map((n) => n.id)).toEqual(['n2', 'n1']);
  expect(byItem.get('b').map((n) => n.id)).toEqual(['n5', 'n3']);
  expect(byItem.get('empty')).toEqual([]);
  expect(byItem.get('b')[0]).not.toHaveProperty('_status'); // as the screens see rows
  expect((await store.notesForItems([])).size).toBe(0);
});

// A long plan opens on one page of its rows (queries.js itemPage, the [plan_id+priority] index of
// v12), not on the whole plan.
const planRow = (id, priority, over = {}) => ({
  table: 'plan_items', id, version: 1, deleted: false,
  fields: { plan_id: 'long', unit_id: 'u', topic: id, priority, ...over },
});

/** A plan of `n` rows, stored in an order unlike the plan's, with ties on priority. */
async function longPlan(store, n) {
  const rows = [];
  for (let k = 0; k < n; k += 1) rows.push(planRow(`r${String((k * 7919) % n).padStart(4, '0')}`, 1 + ((k * 31) % (n / 2))));
  await store.applyPage([...rows, planRow('other', 1, { plan_id: 'elsewhere' })], '1');
}

async function readAllPages(store, planId, limit) {
  const ids = [];
  let from = null;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await store.itemPage(planId, { from, limit });
    ids.push(...page.rows.map((r) => r.id));
    if (!page.next) return ids;
    from = page.next;
  }
  throw new Error('no end');
}

const inOrder = async (store, planId) =>
  (await store.listItems(planId)).filter((r) => !r.deleted).map((r) => r.id);

/** Rows of `store` (object store name) handed to the page by IndexedDB while `run` runs:
 * getAll results and cursor steps, on the store and its indexes. */
async function rowsReadOf(storeName, run) {
  let read = 0;
  const of = (source) => (source.objectStore || source).name === storeName;
  const patched = [];
  const patch = (proto, name, wrap) => {
    const original = proto[name];
    proto[name] = wrap(original);
    patched.push(() => {
      proto[name] = original;
    });
  };
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
    patch(proto, 'getAll', (original) => function (...args) {
      const req = original.apply(this, args);
      if (of(this)) req.addEventListener('success', () => { read += req.result.length; });
      return req;
    });
    patch(proto, 'openCursor', (original) => function (...args) {
      const req = original.apply(this, args);
      if (of(this)) req.addEventListener('success', () => { if (req.result) read += 1; });
      return req;
    });
  }
  try {
    await run();
  } finally {
    for (const undo of patched) undo();
  }
  return read;
}

test('a long plan is read a page at a time, in the order listItems gives, without deleted rows', async () => {
  const store = await freshStore('long-plans');
  await longPlan(store, 500);
  await store.remove('plan_items', 'r0003');
  await store.create('plan_items', { id: 'mine', plan_id: 'long', unit_id: 'u', topic: 'mine', priority: 7 });
  const expected = await inOrder(store, 'long');
  expect(expected).toHaveLength(500);
  const first = await store.itemPage('long', { limit: 40 });
  expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 40));
  expect(first.rows[0]).not.toHaveProperty('_status'); // as the screens see rows
  const second = await store.itemPage('long', { from: first.next, limit: 40 });
  expect(second.rows.map((r) => r.id)).toEqual(expected.slice(40, 80));
  expect(await readAllPages(store, 'long', 40)).toEqual(expected);
  expect(await readAllPages(store, 'long', 7)).toEqual(expected);
  const all = await store.itemPage('long');
  expect(all.rows.map((r) => r.id)).toEqual(expected);
  expect(all.next).toBeNull();
  expect(await store.itemPage('empty', { limit: 40 })).toEqual({ rows: [], next: null });
});

test('the first page of a long plan reads its rows, not the plan', async () => {
  const store = await freshStore('long-plans');
  await longPlan(store, 500);
  let page;
  const read = await rowsReadOf('plan_items', async () => {
    page = await store.itemPage('long', { limit: 40 });
  });
  expect(page.rows).toHaveLength(40);
  // The page and the one row that says there are more; the whole plan would be 500.
  expect(read <= 41).toBe(true);
  const next = await rowsReadOf('plan_items', () => store.itemPage('long', { from: page.next, limit: 40 }));
  // The next page starts at the last row's priority: it steps over that row and its ties (two here).
  expect(next <= 43).toBe(true);
});

test('a row far down is read up to, and the pages go on after it', async () => {
  const store = await freshStore('long-plans');
  await longPlan(store, 500);
  const expected = await inOrder(store, 'long');
  const first = await store.itemPage('long', { limit: 40 });
  const target = await store.get('plan_items', expected[300]);
  const upTo = await store.itemPage('long', { from: first.next, through: target });
  expect(upTo.rows.map((r) => r.id)).toEqual(expected.slice(40, 301));
  const after = await store.itemPage('long', { from: upTo.next, limit: 40 });
  expect(after.rows.map((r) => r.id)).toEqual(expected.slice(301, 341));
  const last = await store.get('plan_items', expected[499]);
  expect((await store.itemPage('long', { through: last })).next).toBeNull();
});

test('a row without a priority is not left out: the plan is then read whole, in order', async () => {
  const store = await freshStore('long-plans');
  await longPlan(store, 100);
  await store.applyPage([planRow('no-priority', null)], '2');
  const expected = await inOrder(store, 'long');
  expect(expected).toHaveLength(101);
  expect(expected[0]).toBe('no-priority'); // listItems sorts a missing priority as 0
  expect(await readAllPages(store, 'long', 40)).toEqual(expected);
});

test('a new row takes the priority after the plan\'s last row, deleted rows left out', async () => {
  const store = await freshStore('long-plans');
  expect(await store.nextPriority('long')).toBe(1);
  await longPlan(store, 100); // priorities 1 to 50
  expect(await store.nextPriority('long')).toBe(51);
  await store.create('plan_items', { id: 'top', plan_id: 'long', unit_id: 'u', topic: 'top', priority: 80 });
  expect(await store.nextPriority('long')).toBe(81);
  await store.remove('plan_items', 'top');
  expect(await store.nextPriority('long')).toBe(51);
  expect(await store.nextPriority('elsewhere')).toBe(2);
});

test('upgrading a version 11 store puts its rows on the order index and marks a row off it', async () => {
  const { default: Dexie } = await import('dexie');
  const { Store } = await import('../../../pwa/src/js/store/index.js');
  const name = `long-plans-upgrade-v11-${Date.now()}`;
  const old = new Dexie(name);
  // The tables v12 changes or these reads touch, as version 11 left them.
  old.version(11).stores({ plan_items: 'id, plan_id, unit_id, _status, finding_id', plan_summaries: 'plan_id', meta: 'key' });
  const row = (id, priority) => ({ id, plan_id: 'p', unit_id: 'u', topic: id, priority, _status: 'synced', _version: 1 });
  await old.plan_items.bulkPut([row('b', 2), row('a', 1), row('created', undefined), row('c', 3)]);
  old.close();
  const store = await new Store(name).open();
  const page = await store.itemPage('p', { limit: 2 });
  // The row without a priority sorts first, as listItems has it: the plan is read whole.
  expect(page.rows.map((r) => r.id)).toEqual(['created', 'a']);
  expect(page.rows[0]).not.toHaveProperty('_unordered');
  expect(await readAllPages(store, 'p', 2)).toEqual(['created', 'a', 'b', 'c']);
  // The server gives it a priority: on the index, and the plan is read a page at a time again.
  await store.applyPage([planRow('created', 4, { plan_id: 'p' })], '2');
  expect((await store.db.table('plan_items').get('created'))._unordered).toBeUndefined();
  expect(await readAllPages(store, 'p', 2)).toEqual(['a', 'b', 'c', 'created']);
  store.db.close();
});
