// The sync bar never says "Synkroniseret" for a save the server does not have yet: not while
// the store's writing side is still loading (store.js `writingSide`), not between the save's
// commit and the outbox count, not before the push has been answered (pwa/src/js/sync.js
// `writing`, pwa/src/js/ui/shell.js describeSyncState).
import { Store } from '../../pwa/src/js/store/index.js';
import { createSync } from '../../pwa/src/js/sync.js';
import { describeSyncState } from '../../pwa/src/js/ui/shell.js';
import { createFakeServer } from './fake_server.js';

const SYNCED = 'Synkroniseret';
let n = 0;

function device(server, store) {
  const timers = { setTimeout: () => 0, clearTimeout() {}, setInterval: () => 0, clearInterval() {} };
  return createSync({ store, getToken: async () => 'tok', transport: server.transport, timers, isOnline: () => true });
}

async function settled(sync) {
  for (let i = 0; i < 50 && sync.state.writing > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
}

test('the bar reads each state in words: a save under way is "Gemmer …", never "Synkroniseret"', () => {
  expect(describeSyncState({ phase: 'idle', pending: 0, writing: 0, drafts: 0 })).toMatchObject({ text: SYNCED, owed: 0 });
  expect(describeSyncState({ phase: 'idle', pending: 0, writing: 1, drafts: 0 })).toMatchObject({
    text: 'Gemmer …',
    owed: 1,
    writing: 1,
  });
  expect(describeSyncState({ phase: 'idle', pending: 2, writing: 1 })).toMatchObject({
    text: 'Gemmer … · 2 ændringer venter',
    owed: 3,
  });
  expect(describeSyncState({ phase: 'offline', pending: 0, writing: 1 }).text).toBe('Offline · Gemmer …');
  expect(describeSyncState({ phase: 'idle', pending: 0, drafts: 1 })).toMatchObject({ text: '', tone: 'warn' });
});

test('from a save asked for before the writing side has loaded until the server has it, nothing says "Synkroniseret"', async () => {
  const server = createFakeServer();
  server.put('units', 'u1', { name: 'Engen', kind: 'dk_tilbud', parent_id: null });
  n += 1;
  // A fresh store whose writing side this file has not loaded yet (each test file has its own
  // modules): the save's first await is the import of writes.js.
  const store = await new Store(`sync-bar-${n}`).open();
  const sync = device(server, store);
  expect(describeSyncState(sync.state).text).toBe(SYNCED); // what the old bar said on the click
  const said = [];
  sync.subscribe((state) => said.push(describeSyncState(state)));
  said.length = 0; // subscribe answers with the state of now: only what comes after counts

  const saving = store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', unit_id: 'u1', text: 'ny' });
  // In the click's own task, before the writing side has loaded.
  expect(describeSyncState(sync.state)).toMatchObject({ text: 'Gemmer …', owed: 1 });
  await saving;
  await settled(sync);
  // In the outbox now, not yet sent: still owed, in other words.
  expect(sync.state).toMatchObject({ writing: 0, pending: 1 });
  expect(describeSyncState(sync.state).text).toBe('1 ændring venter');

  await sync.run();
  expect(server.row('progress_notes', 'n1').fields.text).toBe('ny');
  expect(describeSyncState(sync.state)).toMatchObject({ text: SYNCED, owed: 0 });
  // Every state between the call and the server's answer owed the save.
  const first = said.findIndex((d) => d.text.includes(SYNCED));
  expect(first).toBe(said.length - 1);
  expect(said.slice(0, first).every((d) => d.owed > 0 || !d.text.includes(SYNCED))).toBe(true);
});

test('a save finishing while the outbox is counted is counted again: a stale count never clears it', async () => {
  const server = createFakeServer();
  n += 1;
  const store = await new Store(`sync-bar-${n}`).open();
  await store.preloadWritingSide();
  const sync = device(server, store);
  // The interleaving forced: the outbox is counted (0), then a save runs to its end, then the
  // count is answered. Real store, real IndexedDB; only the moment is chosen.
  const count = store.pendingCount.bind(store);
  let during = async () => {
    during = null;
    await store.create('progress_notes', { id: 'late', item_id: 'i1', plan_id: 'p1', unit_id: 'u1', text: 'sent' });
  };
  store.pendingCount = async () => {
    const counted = await count();
    if (during) await during();
    return counted;
  };
  const said = [];
  sync.subscribe((state) => said.push({ ...state }));
  said.length = 0;
  sync.requestSoon(); // counts the outbox (a local write happened, as a screen says after saving)
  await sync.idle();
  await new Promise((r) => setTimeout(r, 50));
  expect(await store.pendingCount()).toBe(1);
  expect(sync.state).toMatchObject({ writing: 0, pending: 1 });
  // From the save's start on, no state owed nothing.
  const since = said.findIndex((s) => s.writing > 0);
  expect(since).toBeGreaterThanOrEqual(0);
  expect(said.slice(since).filter((s) => s.writing + s.pending === 0)).toEqual([]);
});

test('saves in a row: from the first one asked for, the state always owes something until they are sent', async () => {
  const server = createFakeServer();
  n += 1;
  const store = await new Store(`sync-bar-${n}`).open();
  await store.preloadWritingSide();
  const sync = device(server, store);
  const said = [];
  sync.subscribe((state) => said.push({ ...state }));
  // Many saves in a row, each committing while an earlier one's count may be under way.
  const saves = [];
  for (let i = 0; i < 5; i += 1) saves.push(store.create('progress_notes', { id: `m${i}`, item_id: 'i1', plan_id: 'p1', unit_id: 'u1', text: `${i}` }));
  await Promise.all(saves);
  await settled(sync);
  await new Promise((r) => setTimeout(r, 50));
  expect(sync.state).toMatchObject({ writing: 0, pending: 5 });
  // Once the first save was asked for, no state owed nothing.
  const since = said.findIndex((s) => s.writing > 0);
  expect(since).toBeGreaterThanOrEqual(0);
  expect(said.slice(since).every((s) => s.writing + s.pending > 0)).toBe(true);
});
