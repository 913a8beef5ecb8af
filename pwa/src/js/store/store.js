/**
 * The `Store`: the two Dexie connections to one database, the change listeners, the meta
 * key-value table, and the store's whole surface as methods. Each method is one line that hands
 * over to the module that does the work:
 *
 *   schema.js   the tables, their fields and the Dexie versions
 *   queries.js  reads for the UI
 *   writes.js   local writes: the row and its outbox entry in one transaction
 *   feed.js     the sync module's side: pulled pages in, push batches out, their answers back
 *   drafts.js   what the server refused, kept for the person to fix and resend, or discard
 *
 * The reading side (schema, queries) is loaded with the app; the writing side (writes, feed,
 * drafts) in a chunk of its own, loaded by the first method that needs it (the first sync,
 * the first save): the first screen shows the store's rows without loading, or competing
 * with, the code that changes them (build.mjs splits the bundle at the dynamic import).
 *
 * A save is counted from the moment it is asked for (`writesInFlight`, raised synchronously by
 * the method's call) until its row and outbox entry have committed: while the writing side is
 * still loading, the outbox does not show the save yet, and the sync bar must not say
 * "Synkroniseret" meanwhile (sync.js reads the count; `onWriting` tells it of each change).
 */
import Dexie from 'dexie';
import { defineSchema } from './schema.js';
import * as queries from './queries.js';

/** @type {Promise<{writes: typeof import('./writes.js'), feed: typeof import('./feed.js'), drafts: typeof import('./drafts.js')}> | null} */
let writingSide = null;
function writing() {
  if (!writingSide) {
    writingSide = Promise.all([import('./writes.js'), import('./feed.js'), import('./drafts.js')]).then(
      ([writes, feed, drafts]) => ({ writes, feed, drafts }),
    );
  }
  return writingSide;
}

export const DEFAULT_DB_NAME = 'folg';

export class Store {
  /**
   * @param {string} [name]  the IndexedDB database's name
   * @param {{now?: () => Date}} [options]  `now` is the clock (tests pass a fixed one)
   */
  constructor(name = DEFAULT_DB_NAME, { now = () => new Date() } = {}) {
    this.name = name;
    this.now = now;
    // Two connections to one database. Local writes (rows + outbox) use "strict" durability:
    // when a save resolves, it is on disk. Pulled pages use "relaxed": the page and its cursor
    // commit together or not at all, and anything lost in a crash is simply pulled again, so
    // the first sync need not wait for a disk flush per page. No liveQuery is used, so Dexie's
    // query cache is off.
    /** @type {any} Dexie with the tables of schema.js as properties */
    this.db = new Dexie(name, { cache: 'disabled', chromeTransactionDurability: 'strict' });
    /** @type {any} */
    this.feedDb = new Dexie(name, { cache: 'disabled', chromeTransactionDurability: 'relaxed' });
    defineSchema(this.db);
    defineSchema(this.feedDb);
    /** @type {Set<(what: object) => void>} */
    this.listeners = new Set();
    /** Saves asked for whose outbox entry has not committed yet. */
    this.writesInFlight = 0;
    /** Saves finished (committed or failed) so far: a reader of the outbox compares it before
     * and after, to know no save finished while it counted. */
    this.writesSettled = 0;
    /** @type {Set<(inFlight: number) => void>} */
    this.writingListeners = new Set();
  }

  /** Load the writing side now (main.js, once the first screen is drawn), so that the first
   * save does not wait for its code. */
  preloadWritingSide() {
    return writing().then(() => undefined);
  }

  /** Called when a save is asked for and when it has reached the outbox (or failed). */
  onWriting(fn) {
    this.writingListeners.add(fn);
    return () => this.writingListeners.delete(fn);
  }

  /**
   * Run a save on the writing side, counted in `writesInFlight` from this call on (the count
   * rises before the first await, i.e. in the click's own task).
   * @template T
   * @param {(side: Awaited<ReturnType<typeof writing>>) => Promise<T>} run
   * @returns {Promise<T>}
   */
  async _save(run) {
    this.writesInFlight += 1;
    this._emitWriting();
    try {
      return await run(await writing());
    } finally {
      this.writesInFlight -= 1;
      this.writesSettled += 1;
      this._emitWriting();
    }
  }

  _emitWriting() {
    for (const fn of this.writingListeners) {
      try {
        fn(this.writesInFlight);
      } catch (err) {
        console.error(err);
      }
    }
  }

  async open() {
    // The feed connection opens on first use (Dexie's autoOpen): a cold start offline needs one.
    await this.db.open();
    return this;
  }

  /** Called after every local write or applied pull page; the UI re-renders on it. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  _emit(what) {
    for (const fn of this.listeners) {
      try {
        fn(what);
      } catch (err) {
        console.error(err);
      }
    }
  }

  /** Logging out: delete the whole database. */
  async wipe() {
    this.db.close();
    this.feedDb.close();
    await Dexie.delete(this.name);
    this._emit({ wiped: true });
  }

  // ---- meta: small values of this device (cursor, client id, last mutation id, session) -------

  async getMeta(key, fallback = null) {
    const row = await this.db.meta.get(key);
    return row ? row.value : fallback;
  }

  async setMeta(key, value) {
    await this.db.meta.put({ key, value });
  }

  async deleteMeta(key) {
    await this.db.meta.delete(key);
  }

  // ---- reads for the UI (queries.js) ------------------------------------------------------------

  get(table, id) {
    return queries.get(this, table, id);
  }
  all(table) {
    return queries.all(this, table);
  }
  where(table, index, value) {
    return queries.where(this, table, index, value);
  }
  listUnits() {
    return queries.listUnits(this);
  }
  listPlans(unitId) {
    return queries.listPlans(this, unitId);
  }
  listItems(planId) {
    return queries.listItems(this, planId);
  }
  itemPage(planId, options) {
    return queries.itemPage(this, planId, options);
  }
  nextPriority(planId) {
    return queries.nextPriority(this, planId);
  }
  itemStats(planId, today) {
    return queries.itemStats(this, planId, today);
  }
  planStats(planIds, today) {
    return queries.planStats(this, planIds, today);
  }
  planCounts(unitIds) {
    return queries.planCounts(this, unitIds);
  }
  listNotes(itemId) {
    return queries.listNotes(this, itemId);
  }
  notesForItems(itemIds) {
    return queries.notesForItems(this, itemIds);
  }
  listThemes(catalogueId) {
    return queries.listThemes(this, catalogueId);
  }
  listVisits(unitId) {
    return queries.listVisits(this, unitId);
  }
  listFindings(visitId) {
    return queries.listFindings(this, visitId);
  }
  listVisitPhotos(visitId) {
    return queries.listVisitPhotos(this, visitId);
  }
  itemsForFinding(findingId) {
    return queries.itemsForFinding(this, findingId);
  }
  listComments(itemId) {
    return queries.listComments(this, itemId);
  }
  listExtensions(itemId) {
    return queries.listExtensions(this, itemId);
  }
  listAttachments(itemId) {
    return queries.listAttachments(this, itemId);
  }
  attachmentsForItems(itemIds) {
    return queries.attachmentsForItems(this, itemIds);
  }
  getPhotoBlob(sha256) {
    return queries.getPhotoBlob(this, sha256);
  }
  pendingPhotoBlobs() {
    return queries.pendingPhotoBlobs(this);
  }
  listOpenConflicts() {
    return queries.listOpenConflicts(this);
  }
  openConflictCount() {
    return queries.openConflictCount(this);
  }
  pendingCount() {
    return queries.pendingCount(this);
  }

  // ---- local writes (writes.js) -----------------------------------------------------------------
  // Those that put an entry in the outbox are saves (`_save`); patchLocal and the photo bytes
  // change only this device and are not.

  create(table, fields) {
    return this._save((side) => side.writes.create(this, table, fields));
  }
  update(table, id, changes) {
    return this._save((side) => side.writes.update(this, table, id, changes));
  }
  remove(table, id) {
    return this._save((side) => side.writes.remove(this, table, id));
  }
  removeVisit(visitId) {
    return this._save((side) => side.writes.removeVisit(this, visitId));
  }
  removePhoto(photoId) {
    return this._save((side) => side.writes.removePhoto(this, photoId));
  }
  removeAttachment(attachmentId) {
    return this._save((side) => side.writes.removeAttachment(this, attachmentId));
  }
  async patchLocal(table, id, fields) {
    return (await writing()).writes.patchLocal(this, table, id, fields);
  }
  async putPhotoBlob(sha256, blob, contentType) {
    return (await writing()).writes.putPhotoBlob(this, sha256, blob, contentType);
  }
  async markPhotoBlob(sha256, changes) {
    return (await writing()).writes.markPhotoBlob(this, sha256, changes);
  }

  // ---- a plan's change history, as last fetched (the history screen, offline too) -------------

  /** @returns {Promise<{plan_id: string, events: object[], fetched_at: string} | undefined>} */
  getPlanHistory(planId) {
    return this.db.plan_history.get(planId);
  }

  async putPlanHistory(planId, events) {
    const entry = { plan_id: planId, events, fetched_at: this.now().toISOString() };
    await this.db.plan_history.put(entry);
    return entry;
  }

  // ---- refused drafts (drafts.js) ----------------------------------------------------------------

  async listDrafts() {
    return (await writing()).drafts.listDrafts(this);
  }
  async getDraft(table, id) {
    return (await writing()).drafts.getDraft(this, table, id);
  }
  async draftCount() {
    return (await writing()).drafts.draftCount(this);
  }
  resendDraft(table, id, values) {
    return this._save((side) => side.drafts.resendDraft(this, table, id, values));
  }
  async discardDraft(table, id) {
    return (await writing()).drafts.discardDraft(this, table, id);
  }
  async markDraftsSeen(list) {
    return (await writing()).drafts.markDraftsSeen(this, list);
  }

  // ---- the sync module's side (feed.js) ---------------------------------------------------------

  async applyPage(changes, cursor, options) {
    return (await writing()).feed.applyPage(this, changes, cursor, options);
  }
  async putServerRow(table, id, version, fields) {
    return (await writing()).feed.putServerRow(this, table, id, version, fields);
  }
  async takeBatch(limit) {
    return (await writing()).feed.takeBatch(this, limit);
  }
  async ackBatch(batch, results) {
    return (await writing()).feed.ackBatch(this, batch, results);
  }
  async renumberOutbox(expected) {
    return (await writing()).feed.renumberOutbox(this, expected);
  }
  async newClientIdentity(clientId) {
    return (await writing()).feed.newClientIdentity(this, clientId);
  }
  async resetForFullPull() {
    return (await writing()).feed.resetForFullPull(this);
  }
}

/** Open (creating or upgrading when needed) the store named `name`. */
export async function openStore(name = DEFAULT_DB_NAME, options = undefined) {
  return new Store(name, options).open();
}

/** Whether this device holds a local store at all (before login it does not). */
export async function storeExists(name = DEFAULT_DB_NAME) {
  // indexedDB.databases() answers without opening anything (Chromium, Safari, Firefox 126+).
  if (globalThis.indexedDB && typeof globalThis.indexedDB.databases === 'function') {
    return (await globalThis.indexedDB.databases()).some((d) => d.name === name);
  }
  return Dexie.exists(name);
}
