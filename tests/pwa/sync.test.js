import { Store } from '../../pwa/src/js/store/index.js';
import { createSync } from '../../pwa/src/js/sync.js';
import { createFakeServer } from './fake_server.js';

let n = 0;

/** Timers that never fire by themselves: tests fire them, so nothing depends on real time. */
function manualTimers() {
  const pending = new Map();
  let id = 0;
  return {
    pending,
    setTimeout(fn, ms) { id += 1; pending.set(id, { fn, ms }); return id; },
    clearTimeout(t) { pending.delete(t); },
    setInterval() { return 0; },
    clearInterval() {},
  };
}

async function device(server, { token = 'tok', online = () => true, pageLimit = 1000 } = {}) {
  n += 1;
  const store = await new Store(`sync-test-${n}`).open();
  const timers = manualTimers();
  const auth = { asked: 0, token };
  const sync = createSync({
    store,
    getToken: async () => auth.token,
    transport: server.transport,
    timers,
    isOnline: online,
    random: () => 0.5,
    pageLimit,
    onAuthRequired: () => { auth.asked += 1; },
  });
  return { store, sync, timers, auth };
}

function seedPlan(server) {
  server.put('units', 'u1', { name: 'Bofællesskabet Engen', kind: 'dk_tilbud', parent_id: null });
  server.put('plans', 'p1', { unit_id: 'u1', kind: 'dk_tilbud', title: 'Opfølgningsplan', state: 'draft' });
  server.put('plan_items', 'i1', { plan_id: 'p1', unit_id: 'u1', priority: 1, goal: 'start', topic: 't' });
}

describe('sync', () => {
  test('a first run pulls every page and stores the cursor of the last', async () => {
    const server = createFakeServer();
    seedPlan(server);
    for (let i = 0; i < 25; i += 1) server.put('progress_notes', `n${i}`, { item_id: 'i1', plan_id: 'p1', text: `note ${i}` });
    const { store, sync } = await device(server, { pageLimit: 10 });
    await sync.run();
    expect(sync.state.phase).toBe('idle');
    expect((await store.listNotes('i1')).length).toBe(25);
    expect(await store.getMeta('cursor')).toBe('28');
    expect(sync.state.lastSyncedAt).not.toBeNull();
  });

  test('a run pulls, pushes the outbox, then pulls the result', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.update('plan_items', 'i1', { goal: 'offline goal' });
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', text: 'talked to the team' });
    server.calls.length = 0;
    await sync.run();
    expect(server.calls.map((c) => c.url)).toEqual(['/api/sync/pull', '/api/sync/push', '/api/sync/pull']);
    expect(server.row('plan_items', 'i1').fields.goal).toBe('offline goal');
    expect(server.row('progress_notes', 'n1').fields.text).toBe('talked to the team');
    expect(await store.pendingCount()).toBe(0);
    expect(sync.state.pending).toBe(0);
  });

  test('offline, a run does nothing and keeps the outbox', async () => {
    const server = createFakeServer();
    seedPlan(server);
    let online = true;
    const { store, sync } = await device(server, { online: () => online });
    await sync.run();
    online = false;
    await store.update('plan_items', 'i1', { goal: 'x' });
    server.calls.length = 0;
    await sync.run();
    expect(server.calls).toHaveLength(0);
    expect(sync.state.phase).toBe('offline');
    expect(sync.state.pending).toBe(1);
  });

  test('a network failure backs off and the retry delivers', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync, timers } = await device(server);
    await sync.run();
    await store.update('plan_items', 'i1', { goal: 'y' });
    server.failNextWith('network');
    await sync.run();
    expect(sync.state.phase).toBe('offline');
    const [[, retry]] = [...timers.pending];
    expect(retry.ms).toBe(1500); // 2 s base, jitter factor 0.75
    retry.fn();
    await sync.idle();
    expect(sync.state.phase).toBe('idle');
    expect(server.row('plan_items', 'i1').fields.goal).toBe('y');
  });

  test('the backoff grows with each failure', async () => {
    const server = createFakeServer();
    const { sync, timers } = await device(server);
    const delays = [];
    for (let i = 0; i < 3; i += 1) {
      server.failNextWith({ status: 503, body: { error: 'unavailable', message: 'down' } });
      await sync.run();
      delays.push([...timers.pending.values()].at(-1).ms);
    }
    expect(delays).toEqual([1500, 3000, 6000]);
    expect(sync.state.phase).toBe('error');
  });

  test('a lost answer after the server committed is retried with the same ids and applies once', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', text: 'once' });
    // The first pull goes through; the push commits but its answer is lost.
    const realTransport = server.transport;
    let pushes = 0;
    const wrapped = async (url, init) => {
      if (url.endsWith('/push') && pushes === 0) {
        pushes += 1;
        server.failNextWith('lost-response');
      }
      return realTransport(url, init);
    };
    const d2 = createSync({ store, getToken: async () => 'tok', transport: wrapped, timers: manualTimers(), random: () => 0.5 });
    await d2.run();
    expect(d2.state.phase).toBe('offline');
    expect(await store.pendingCount()).toBe(1);
    await d2.run();
    expect(await store.pendingCount()).toBe(0);
    const notes = [...server.rows.values()].filter((r) => r.table === 'progress_notes');
    expect(notes).toHaveLength(1);
    expect(notes[0].version).toBe(1);
  });

  test('a 401 pauses the queue, asks for login and drops nothing; resume delivers', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync, auth } = await device(server);
    await sync.run();
    await store.update('plan_items', 'i1', { goal: 'after expiry' });
    server.token = 'new-token';
    await sync.run();
    expect(sync.state.phase).toBe('auth');
    expect(auth.asked).toBe(1);
    expect(await store.pendingCount()).toBe(1);
    server.calls.length = 0;
    await sync.run();
    expect(server.calls).toHaveLength(0); // paused
    auth.token = 'new-token';
    await sync.resume();
    expect(sync.state.phase).toBe('idle');
    expect(server.row('plan_items', 'i1').fields.goal).toBe('after expiry');
  });

  test('two devices editing the same field: the second gets a conflict record, the server value stays', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const a = await device(server);
    const b = await device(server);
    await a.sync.run();
    await b.sync.run();
    await a.store.update('plan_items', 'i1', { goal: 'from A' });
    await b.store.update('plan_items', 'i1', { goal: 'from B' });
    await a.sync.run();
    await b.sync.run();
    expect(server.row('plan_items', 'i1').fields.goal).toBe('from A');
    expect(await b.store.get('plan_items', 'i1')).toMatchObject({ goal: 'from A' });
    const conflicts = await b.store.listOpenConflicts();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'goal', base_value: 'start', server_value: 'from A', client_value: 'from B' });
    expect(await b.store.pendingCount()).toBe(0);
  });

  test('edits of different fields on two devices merge', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const a = await device(server);
    const b = await device(server);
    await a.sync.run();
    await b.sync.run();
    await a.store.update('plan_items', 'i1', { goal: 'A goal' });
    await b.store.update('plan_items', 'i1', { topic: 'B topic' });
    await a.sync.run();
    await b.sync.run();
    await a.sync.run();
    for (const d of [a, b]) expect(await d.store.get('plan_items', 'i1')).toMatchObject({ goal: 'A goal', topic: 'B topic' });
    expect(await b.store.listOpenConflicts()).toHaveLength(0);
  });

  test('one rejected mutation does not block the ones behind it', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.create('plan_items', { id: 'bad', plan_id: 'p1', unit_id: 'u1', priority: 2, topic: 'REJECT ME' });
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', text: 'fine' });
    await sync.run();
    expect(server.row('progress_notes', 'n1')).toBeDefined();
    expect(await store.get('plan_items', 'bad')).toBeUndefined();
    expect(await store.pendingCount()).toBe(0);
    // The refused create is kept whole as a draft, and the sync bar counts it.
    expect(sync.state.drafts).toBe(1);
    expect(await store.getDraft('plan_items', 'bad')).toMatchObject({
      create: true,
      row: { topic: 'REJECT ME', unit_id: 'u1' },
      error: { message: 'topic refused' },
    });
  });

  test('a half-bad edit: the valid field reaches the server, the refused one waits as a draft', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.update('plan_items', 'i1', { goal: 'the new goal', start_date: '2026-05-01', end_date: '2026-04-01' });
    await sync.run();
    expect(server.row('plan_items', 'i1').fields).toMatchObject({ goal: 'the new goal', start_date: '2026-05-01' });
    expect(server.row('plan_items', 'i1').fields.end_date).toBeUndefined();
    expect(await store.getDraft('plan_items', 'i1')).toMatchObject({ status: 'partial', fields: { end_date: '2026-04-01' } });
    expect(sync.state).toMatchObject({ pending: 0, drafts: 1 });
    await store.resendDraft('plan_items', 'i1', { end_date: '2026-06-01' });
    // The store's change reaches the sync state without a sync run.
    await new Promise((resolve) => sync.subscribe((state) => state.drafts === 0 && resolve()));
    await sync.run();
    expect(server.row('plan_items', 'i1').fields.end_date).toBe('2026-06-01');
  });

  test('reset_required from the server starts over and keeps pending mutations', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', text: 'kept' });
    server.failNextWith({ status: 409, body: { error: 'reset_required', message: 'cursor too old' } });
    await sync.run();
    expect(sync.state.phase).toBe('idle');
    expect(await store.get('plan_items', 'i1')).toBeDefined();
    expect(server.row('progress_notes', 'n1').fields.text).toBe('kept');
  });

  test('an edit during a run triggers another run right after', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    const first = sync.run();
    await store.create('progress_notes', { id: 'n2', item_id: 'i1', plan_id: 'p1', text: 'during' });
    sync.run();
    await first;
    await sync.idle();
    expect(server.row('progress_notes', 'n2')).toBeDefined();
  });
});

describe('sync repairs', () => {
  test('a mutation gap renumbers the outbox from the expected id and pushes again', async () => {
    const server = createFakeServer();
    seedPlan(server);
    const { store, sync } = await device(server);
    await sync.run();
    await store.create('progress_notes', { id: 'n1', item_id: 'i1', plan_id: 'p1', text: 'one' });
    await sync.run();
    const clientId = await store.getMeta('client_id');
    // The server comes back from a backup that knew mutation 0 only... and this device's ids
    // continue at 2: the server refuses the gap, the device renumbers from 1.
    server.forgetClient(clientId, 0);
    await store.create('progress_notes', { id: 'n2', item_id: 'i1', plan_id: 'p1', text: 'two' });
    await sync.run();
    expect(sync.state.phase).toBe('idle');
    expect(server.row('progress_notes', 'n2').fields.text).toBe('two');
    expect(await store.getMeta('last_mutation_id')).toBe(1);
  });

  test('a pulled change older than the held version is ignored', async () => {
    const { Store } = await import('../../pwa/src/js/store/index.js');
    const store = await new Store('stale-pull').open();
    await store.applyPage([{ table: 'plan_items', id: 'x', version: 5, deleted: false, fields: { goal: 'new' } }], 'a');
    await store.applyPage([{ table: 'plan_items', id: 'x', version: 4, deleted: false, fields: { goal: 'old' } }], 'b');
    expect(await store.get('plan_items', 'x')).toMatchObject({ goal: 'new' });
  });

  test('a conflict answer takes the row the server sent as the server copy', async () => {
    const { Store } = await import('../../pwa/src/js/store/index.js');
    const store = await new Store('conflict-ack').open();
    await store.applyPage([{ table: 'plan_items', id: 'x', version: 2, deleted: false, fields: { goal: 'base', topic: 't' } }], 'a');
    await store.update('plan_items', 'x', { goal: 'mine', topic: 'my topic' });
    const batch = await store.takeBatch(10);
    await store.ackBatch(batch, [{
      mutation_id: 1, status: 'conflict', version: 3,
      row: { version: 3, deleted: false, fields: { goal: 'theirs', topic: 'my topic' } },
    }]);
    const raw = await store.db.plan_items.get('x');
    expect(raw).toMatchObject({ goal: 'theirs', topic: 'my topic', _version: 3, _status: 'synced' });
  });
});

describe('photo uploads', () => {
  /** The fake server plus /api/photos/<sha>: keeps the bytes, answers like the real one. */
  function withPhotos(server, { loseAnswerOfPut = 0, refuse = null } = {}) {
    const photos = new Map();
    const puts = [];
    const transport = async (url, init) => {
      const match = url.match(/\/api\/photos\/([0-9a-f]{64})(\/upload)?$/);
      if (!match) return server.transport(url, init);
      const reply = (status, body) => ({ ok: status < 300, status, json: async () => body });
      const [, sha, status] = match;
      const stored = photos.get(sha) || new Uint8Array(0);
      if (status) return photos.has(sha) ? reply(200, { received_bytes: stored.length, complete: false }) : reply(404, { error: 'not_found' });
      const offset = Number(init.headers['Upload-Offset']);
      const total = Number(init.headers['Upload-Length']);
      puts.push(offset);
      if (refuse) return reply(refuse.status, refuse.body);
      if (offset !== stored.length) return reply(409, { error: 'invalid_state', received_bytes: stored.length });
      const piece = new Uint8Array(await init.body.arrayBuffer());
      const next = new Uint8Array(stored.length + piece.length);
      next.set(stored);
      next.set(piece, stored.length);
      photos.set(sha, next);
      if (puts.length === loseAnswerOfPut) throw new TypeError('Failed to fetch');
      return reply(200, { received_bytes: next.length, complete: next.length === total });
    };
    return { photos, puts, server: { ...server, transport } };
  }

  test('a photo goes up in pieces and resumes where the server says its bytes end', async () => {
    const fake = withPhotos(createFakeServer(), { loseAnswerOfPut: 2 });
    const { store, sync } = await device(fake.server);
    const bytes = new Uint8Array(600 * 1024).map((_, i) => i % 251);
    const sha = 'd'.repeat(64);
    await store.putPhotoBlob(sha, new Blob([bytes]), 'image/jpeg');
    expect(await store.pendingCount()).toBe(1);

    await sync.run(); // the answer to the second piece is lost: the run fails, nothing is lost
    expect(sync.state.phase).toBe('offline');
    expect(await store.pendingCount()).toBe(1);

    await sync.run(); // asks how far it got, sends only the third piece
    expect(fake.puts).toEqual([0, 256 * 1024, 512 * 1024]);
    expect(fake.photos.get(sha)).toEqual(bytes);
    expect(await store.pendingCount()).toBe(0);
    expect((await store.getPhotoBlob(sha)).uploaded).toBe(1);
  });

  test('a photo the server refuses for good is marked and not sent again', async () => {
    const refuse = { status: 422, body: { error: 'invalid_input', message: 'The file is not a JPEG image.' } };
    const fake = withPhotos(createFakeServer(), { refuse });
    const { store, sync } = await device(fake.server);
    await store.putPhotoBlob('e'.repeat(64), new Blob([new Uint8Array(10)]), 'image/jpeg');
    await sync.run();
    expect(sync.state.phase).toBe('idle');
    expect((await store.getPhotoBlob('e'.repeat(64))).error).toBe('The file is not a JPEG image.');
    expect(await store.pendingCount()).toBe(0);
    await sync.run();
    expect(fake.puts).toEqual([0]); // once, not again on the next run
  });
});
