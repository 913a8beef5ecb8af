/**
 * The local store: the only code that touches IndexedDB (through Dexie). The UI reads and
 * writes through a `Store`; the sync module feeds it pulled pages and takes push batches from
 * its outbox. What lives where:
 *
 *   schema.js   the synced tables and their fields, the bookkeeping fields, the Dexie versions
 *   store.js    the `Store`: connections, change listeners, meta, and its methods
 *   queries.js  reads for the UI
 *   writes.js   local writes and the outbox
 *   feed.js     applying a pulled page; taking and acknowledging a push batch; resets
 *
 * Import from here, not from the modules: this is the store's public surface.
 */
export { Store, DEFAULT_DB_NAME, openStore, storeExists } from './store.js';
export { SYNCED_TABLES, QUALITY_TABLES, visible } from './schema.js';
export { newId } from './ids.js';
