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
