/**
 * The sync engine: the only module that calls the sync API (docs/sync-protocol.md).
 *
 * One run reads as the algorithm:
 *
 *   pull   page through /api/sync/pull from the saved cursor; each page is applied and its cursor
 *          saved in one transaction (store.applyPage), so a crash never skips a change
 *   push   send the outbox oldest first in batches; every mutation is answered on its own
 *          (applied, merged, partial, conflict, rejected, duplicate) and leaves the outbox then;
 *          what the server refused stays on the device as the row's draft (store/drafts.js)
 *   pull   fetch what the push produced (new versions, conflict records, merged values)
 *
 * Before the push, photo bytes kept on the device are uploaded (uploadPhotos): each through
 * PUT /api/photos/<sha256> in pieces, resuming where the server says its bytes end.
 *
 * States (what the UI shows):
 *
 *   idle         nothing running; `pending` changes may wait, `lastSyncedAt` says when it last ran clean
 *   syncing      a run is under way
 *   offline      the browser says offline, or the server could not be reached
 *   error        the server answered with an error; retried with backoff
 *   auth         the server said 401: the queue is paused (nothing is dropped) until a new login
 *
 * Beside the phase, what is owed to the server: `writing` saves asked for and not yet in the
 * outbox (the store counts them from the call), `pending` outbox entries, `drafts` refused ones.
 * Nothing is "synced" while any of them is above zero. `writing` drops to zero only together
 * with an outbox count read after the save committed, so there is no moment between the two.
 *
 * Triggers: start, `online`, `visibilitychange` to visible, a timer while open, a manual request,
 * a local write (debounced), and a message from the service worker when Background Sync fires.
 * Failures back off exponentially with jitter.
 *
 * Side effects come through seams (transport, clock, timers, random) so tests drive it with a fake
 * server and a fake clock.
 */

import { HttpError, defaultTransport, fetchJson } from './http.js';

// 2: this client knows the push answer `partial` (docs/sync-protocol.md section 12).
export const SCHEMA_VERSION = 2;

const DEFAULTS = {
  baseUrl: '',
  pageLimit: 1000,
  batchSize: 200,
  intervalMs: 60_000,
  debounceMs: 300,
  backoffBaseMs: 2_000,
  backoffMaxMs: 5 * 60_000,
  photoPieceBytes: 256 * 1024,
};

export function createSync({
  store,
  getToken,
  transport = defaultTransport,
  now = () => new Date(),
  random = Math.random,
  timers = globalThis,
  isOnline = () => (globalThis.navigator ? globalThis.navigator.onLine !== false : true),
  onAuthRequired = () => {},
  ...options
}) {
  const opts = { ...DEFAULTS, ...options };
  const listeners = new Set();
  let state = { phase: 'idle', pending: 0, writing: 0, lastSyncedAt: null, error: null, retryAt: null, drafts: 0 };
  let running = null;
  let again = false;
  let paused = false;
  let failures = 0;
  let retryTimer = null;
  let debounceTimer = null;
  let intervalTimer = null;
  const detach = [];

  function setState(patch) {
    state = { ...state, ...patch };
    for (const fn of listeners) fn(state);
  }

  /**
   * `pending`: changes on their way to the server; `drafts`: refused ones waiting for the person;
   * `writing`: saves not yet in the outbox. The outbox is counted again if a save finished while
   * it was being counted, so a save never leaves `writing` before it shows in `pending`.
   */
  async function refreshPending() {
    let settled;
    let counts;
    do {
      settled = store.writesSettled;
      counts = await Promise.all([store.pendingCount(), store.draftCount ? store.draftCount() : 0]);
    } while (settled !== store.writesSettled);
    const [pending, drafts] = counts;
    setState({ pending, drafts, writing: store.writesInFlight || 0 });
  }

  // A save asked for shows at once (in the click's own task); one that reached the outbox shows
  // when the outbox has been counted with it.
  if (store.onWriting) {
    store.onWriting((inFlight) => {
      if (inFlight > state.writing) setState({ writing: inFlight });
      else refreshPending().catch(() => {});
    });
  }

  // A draft resent or discarded on a screen changes what the sync bar owes the person.
  if (store.onChange) {
    store.onChange((what) => {
      if (what && what.drafts) refreshPending().catch(() => {});
    });
  }

  async function call(path, body) {
    return fetchJson(opts.baseUrl + path, { method: 'POST', body, token: await getToken(), transport });
  }

  function newClientId() {
    return (globalThis.crypto?.randomUUID?.() ?? `c-${Date.now()}-${Math.floor(random() * 1e9)}`).replace(/-/g, '');
  }

  async function clientId() {
    let id = await store.getMeta('client_id');
    if (!id) {
      id = newClientId();
      await store.setMeta('client_id', id);
    }
    return id;
  }

  /**
   * Page through the feed. The next page is requested while this one is being applied (the
   * server and IndexedDB work side by side); pages are still applied, and their cursors saved,
   * strictly in order, so the saved cursor never runs ahead of the data.
   *
   * The client id is read once per pull, not per page: a read of `meta` waits for the page
   * transaction under way (it holds `meta` for the cursor), which made the "next page while
   * this one is written" wait for the write after all.
   */
  async function pull() {
    const start = await store.getMeta('cursor');
    const id = await clientId();
    const fetchPage = (cursor) =>
      call('/api/sync/pull', { cursor, limit: opts.pageLimit, schema_version: SCHEMA_VERSION, client_id: id });
    let fresh = start == null;
    let next = fetchPage(start);
    let resets = 0;
    for (;;) {
      let page;
      try {
        page = await next;
      } catch (err) {
        // The server forgot tombstones older than our cursor: pull everything again, keep the outbox.
        if (err instanceof HttpError && err.code === 'reset_required' && resets === 0) {
          resets += 1;
          await store.resetForFullPull();
          fresh = true;
          next = fetchPage(null);
          continue;
        }
        throw err;
      }
      next = page.has_more ? fetchPage(page.cursor) : null;
      if (next) next.catch(() => {}); // awaited on the next turn; never an unhandled rejection
      const t0 = globalThis.performance ? globalThis.performance.now() : 0;
      await store.applyPage(page.changes || [], page.cursor, { fresh });
      if (globalThis.performance && globalThis.performance.measure) {
        globalThis.performance.measure('folg-apply-page', { start: t0, end: globalThis.performance.now() });
      }
      if (!page.has_more) return page;
    }
  }

  async function push() {
    let id = await clientId();
    let refused = 0;
    let repairs = 0;
    for (;;) {
      const batch = await store.takeBatch(opts.batchSize);
      if (!batch.length) break;
      const body = {
        client_id: id,
        schema_version: SCHEMA_VERSION,
        mutations: batch.map((e) => ({
          mutation_id: e.mutation_id,
          table: e.table,
          id: e.id,
          op: e.op,
          base_version: e.base_version,
          fields: e.fields,
          base: e.base,
        })),
      };
      let answer;
      try {
        answer = await call('/api/sync/push', body);
      } catch (err) {
        if (!(err instanceof HttpError) || err.offline || repairs > 0) throw err;
        if (err.code === 'mutation_gap' && err.body && err.body.expected_mutation_id) {
          // The server lost ids (restored from a backup): renumber and try again once.
          repairs += 1;
          await store.renumberOutbox(err.body.expected_mutation_id);
          continue;
        }
        if (err.status === 403) {
          // This client id belongs to another user: take a new one, ids start at 1.
          repairs += 1;
          await store.newClientIdentity(newClientId());
          id = await clientId();
          continue;
        }
        throw err;
      }
      const results = (answer && answer.results) || [];
      refused += (await store.ackBatch(batch, results)).length;
      await refreshPending();
      // A server that answered none of them would loop us forever; stop and retry later.
      if (!results.length) throw new HttpError(500, 'server_error', 'empty push answer');
    }
    return refused;
  }

  /** @param {string} method @param {string} path @param {{ body?: any, headers?: Record<string, string> }} [options] */
  async function photoCall(method, path, { body, headers = {} } = {}) {
    const token = await getToken();
    let res;
    try {
      res = await transport(opts.baseUrl + path, {
        method,
        headers: { Accept: 'application/json', ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body,
        cache: 'no-store',
      });
    } catch (err) {
      throw new HttpError(0, 'network', err && err.message);
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    return { status: res.status, ok: res.ok, data };
  }

  /**
   * Upload the photos waiting on this device. Idempotent and resumable: the server keeps what
   * it received; a 409 says where its bytes end, and the next piece starts there. A photo the
   * server refuses for good (type, size, damaged) is marked with the error and not retried.
   */
  async function uploadPhotos() {
    if (!store.pendingPhotoBlobs) return;
    for (const photo of await store.pendingPhotoBlobs()) {
      const path = `/api/photos/${photo.sha256}`;
      const status = await photoCall('GET', `${path}/upload`);
      if (status.status === 401) throw new HttpError(401, 'unauthenticated', 'log in again');
      let offset = status.ok ? status.data.received_bytes : 0;
      let done = status.ok && status.data.complete;
      for (let guard = 0; !done && guard < 1000; guard += 1) {
        const piece = photo.blob.slice(offset, offset + opts.photoPieceBytes);
        const answer = await photoCall('PUT', path, {
          body: piece,
          headers: {
            'Content-Type': photo.content_type,
            'Upload-Length': String(photo.size),
            'Upload-Offset': String(offset),
          },
        });
        if (answer.ok) {
          offset = answer.data.received_bytes;
          done = answer.data.complete;
        } else if (answer.status === 409 && answer.data && answer.data.received_bytes != null) {
          offset = answer.data.received_bytes; // resume where the server's bytes end
        } else if (answer.status === 401) {
          throw new HttpError(401, 'unauthenticated', 'log in again');
        } else if (answer.status >= 400 && answer.status < 500) {
          await store.markPhotoBlob(photo.sha256, {
            error: (answer.data && answer.data.message) || String(answer.status),
          });
          break;
        } else {
          throw new HttpError(answer.status, 'server_error', 'photo upload failed');
        }
      }
      if (done) await store.markPhotoBlob(photo.sha256, { uploaded: 1 });
    }
    await refreshPending();
  }

  function backoffDelay() {
    const exp = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(exp * (0.5 + random() * 0.5));
  }

  function scheduleRetry() {
    if (retryTimer) timers.clearTimeout(retryTimer);
    const delay = backoffDelay();
    setState({ retryAt: new Date(now().getTime() + delay).toISOString() });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      run('retry');
    }, delay);
  }

  async function runOnce() {
    if (paused) {
      setState({ phase: 'auth' });
      return;
    }
    if (!isOnline()) {
      await refreshPending();
      setState({ phase: 'offline' });
      return;
    }
    if (!(await getToken())) {
      paused = true;
      setState({ phase: 'auth' });
      onAuthRequired();
      return;
    }
    setState({ phase: 'syncing', error: null });
    try {
      await pull();
      await uploadPhotos();
      await push();
      await pull();
      failures = 0;
      const at = now().toISOString();
      await store.setMeta('last_synced_at', at);
      await refreshPending();
      setState({
        phase: 'idle',
        lastSyncedAt: at,
        error: null,
        retryAt: null,
      });
    } catch (err) {
      await refreshPending().catch(() => {});
      if (err instanceof HttpError && err.status === 401) {
        // Pause, keep everything waiting, ask for a login.
        paused = true;
        setState({ phase: 'auth', error: { code: 'unauthenticated', message: err.message } });
        onAuthRequired();
        return;
      }
      failures += 1;
      if (err instanceof HttpError && err.offline) {
        setState({ phase: 'offline', error: { code: 'network', message: err.message } });
      } else {
        setState({
          phase: 'error',
          error: { code: err.code || 'error', message: err.message, status: err.status },
        });
      }
      if (!(err instanceof HttpError && err.status === 426)) scheduleRetry();
    }
  }

  /** Run a sync now (or right after the one under way). Resolves when the run(s) finish. */
  function run(reason = 'manual') {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await runOnce(); // the reason names the trigger; a run does the same whatever it is
        } while (again && !paused);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  /** A local write happened: sync soon, or ask the browser for a Background Sync when offline. */
  function requestSoon() {
    refreshPending();
    if (!isOnline()) {
      registerBackgroundSync();
      setState({ phase: 'offline' });
      return;
    }
    if (debounceTimer) timers.clearTimeout(debounceTimer);
    debounceTimer = timers.setTimeout(() => {
      debounceTimer = null;
      run('write');
    }, opts.debounceMs);
  }

  function registerBackgroundSync() {
    const sw = globalThis.navigator && globalThis.navigator.serviceWorker;
    if (!sw || !sw.ready) return;
    // Background Sync is not in every browser (nor in TypeScript's DOM types).
    sw.ready.then((/** @type {any} */ reg) => reg.sync && reg.sync.register('folg-sync')).catch(() => {}); // not supported or not allowed: the online event covers it
  }

  function start() {
    const win = globalThis.window;
    if (win && win.addEventListener) {
      const onOnline = () => run('online');
      const onOffline = () => setState({ phase: 'offline' });
      const onVisible = () => {
        if (globalThis.document && globalThis.document.visibilityState === 'visible') run('visible');
      };
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      globalThis.document?.addEventListener('visibilitychange', onVisible);
      detach.push(() => win.removeEventListener('online', onOnline));
      detach.push(() => win.removeEventListener('offline', onOffline));
      detach.push(() => globalThis.document?.removeEventListener('visibilitychange', onVisible));
      const sw = globalThis.navigator && globalThis.navigator.serviceWorker;
      if (sw && sw.addEventListener) {
        const onMessage = (ev) => {
          if (ev.data && ev.data.type === 'folg-sync') run('background');
        };
        sw.addEventListener('message', onMessage);
        detach.push(() => sw.removeEventListener('message', onMessage));
      }
    }
    intervalTimer = timers.setInterval(() => run('interval'), opts.intervalMs);
    store.getMeta('last_synced_at').then((at) => setState({ lastSyncedAt: at }));
    return run('start');
  }

  function stop() {
    for (const fn of detach.splice(0)) fn();
    if (intervalTimer) timers.clearInterval(intervalTimer);
    if (retryTimer) timers.clearTimeout(retryTimer);
    if (debounceTimer) timers.clearTimeout(debounceTimer);
    intervalTimer = retryTimer = debounceTimer = null;
  }

  /** After a new login: unpause the queue and run. */
  function resume() {
    paused = false;
    failures = 0;
    return run('login');
  }

  return {
    start,
    stop,
    run,
    resume,
    requestSoon,
    pull,
    push,
    get state() {
      return state;
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(state);
      return () => listeners.delete(fn);
    },
    idle() {
      return running || Promise.resolve();
    },
  };
}
