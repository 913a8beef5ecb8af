/**
 * The local store: the only module that touches IndexedDB (through Dexie).
 *
 * Every synced table holds rows shaped like the server's, plus three bookkeeping fields:
 *
 *   _status   "synced"  | "created" | "updated" | "deleted"   (what this device owes the server)
 *   _version  the server version the row was last seen at (null for a row created here)
 *   _server   the row's fields as the server last sent them, kept only while the row has local
 *             changes (null for a row created here); a synced row *is* its server copy, so it
 *             is not stored twice (half the bytes to write on a first sync and to read on start)
 *
 * What the UI sees is `_server` overlaid with this device's pending edits. The pending edits live
 * in the **outbox**: one entry per change, written in the same IndexedDB transaction as the row,
 * so when a save resolves the change is durable and the UI may say "saved".
 *
 * Outbox entry:
 *   { seq, table, id, op: "upsert"|"delete", fields, base, base_version, mutation_id, created_at }
 *
 * `mutation_id` is null until the sync module takes the entry into a push batch; then it is
 * fixed (and persisted) so a retried batch carries the same ids and the server can answer
 * "duplicate". Ids are handed out at push time, not write time, because the server refuses gaps
 * and entries may still be coalesced (two edits of one row before a push become one mutation).
 *
 * Schema versions only grow: never edit a shipped `db.version(n)` step, add a new one.
 */
import Dexie from 'dexie';

// The Swedish quality follow-up (server/models/quality.py), written on the device like plan rows.
export const QUALITY_TABLES = [
  'quality_areas',
  'quality_measures',
  'measure_values',
  'register_entries',
  'case_records',
  'survey_questions',
  'survey_responses',
  'annual_tasks',
  'quality_links',
];

export const SYNCED_TABLES = [
  'units',
  'catalogues',
  'themes',
  'criteria',
  'plans',
  'plan_items',
  'progress_notes',
  'conflicts',
  'visits',
  'findings',
  'visit_photos',
  'deadline_extensions',
  'item_comments',
  ...QUALITY_TABLES,
];

// Tables the device may write; the rest come from the server only.
const WRITABLE = new Set([
  'plans', 'plan_items', 'progress_notes', 'conflicts',
  'visits', 'findings', 'visit_photos', 'deadline_extensions', 'item_comments',
  ...QUALITY_TABLES,
]);

const BOOKKEEPING = new Set(['_status', '_version', '_server', '_due', '_reset']);

// Fields the server sets itself (server/models: `server_fields`). The device keeps them locally
// (e.g. unit_id, to index rows by unit) but never sends them.
const SERVER_FIELDS = {
  plans: new Set(['state', 'catalogue_id', 'submitted_at', 'submitted_by', 'approved_at', 'approved_by', 'completed_at', 'archived_at']),
  plan_items: new Set(['unit_id', 'legal_deadline']),
  progress_notes: new Set(['plan_id', 'unit_id', 'author_id']),
  visits: new Set(['catalogue_id', 'created_by']),
  findings: new Set(['unit_id', 'author_id']),
  visit_photos: new Set(['unit_id', 'created_by']),
  deadline_extensions: new Set(['plan_id', 'unit_id', 'author_id']),
  item_comments: new Set(['plan_id', 'unit_id', 'author_id']),
  conflicts: null, // only status, resolution and resolved_value may be sent
  quality_links: new Set(['plan_id', 'unit_id']),
};
const CONFLICT_FIELDS = new Set(['status', 'resolution', 'resolved_value']);

function sendable(table, fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'id' || BOOKKEEPING.has(k)) continue;
    if (table === 'conflicts' ? !CONFLICT_FIELDS.has(k) : SERVER_FIELDS[table]?.has(k)) continue;
    out[k] = v;
  }
  return out;
}

export const DEFAULT_DB_NAME = 'folg';

function defineSchema(db) {
  db.version(1).stores({
    units: 'id, parent_id',
    catalogues: 'id, code',
    themes: 'id, catalogue_id',
    criteria: 'id, theme_id',
    plans: 'id, unit_id, _status',
    plan_items: 'id, plan_id, unit_id, _status',
    progress_notes: 'id, item_id, plan_id, _status',
    conflicts: 'id, status, row_id, unit_id',
    outbox: '++seq, [table+id], mutation_id',
    meta: 'key',
  });
  // v2: plan items carry `_due` (their end date while they are open and not ongoing), indexed
  // with the plan, so a plan list counts overdue items from the index without reading rows.
  db.version(2)
    .stores({ plan_items: 'id, plan_id, unit_id, _status, [plan_id+_due]' })
    .upgrade((tx) => tx.table('plan_items').toCollection().modify((row) => {
      withDerived('plan_items', row);
    }));
  // v3: inspection visits. `photo_blobs` is local only: a photo's bytes wait here (keyed by
  // their SHA-256) until the sync module has uploaded them; `uploaded` is 0 or 1 (indexable).
  db.version(3).stores({
    plan_items: 'id, plan_id, unit_id, _status, [plan_id+_due], finding_id',
    visits: 'id, unit_id, _status',
    findings: 'id, visit_id, unit_id, _status',
    visit_photos: 'id, visit_id, sha256, _status',
    deadline_extensions: 'id, item_id, _status',
    item_comments: 'id, item_id, _status',
    photo_blobs: 'sha256, uploaded',
  });
  // v4: the Swedish quality follow-up; new tables only, nothing to upgrade.
  db.version(4).stores({
    quality_areas: 'id, unit_id, _status',
    quality_measures: 'id, unit_id, _status',
    measure_values: 'id, measure_id, unit_id, _status',
    register_entries: 'id, unit_id, _status',
    case_records: 'id, unit_id, _status',
    survey_questions: 'id, unit_id, _status',
    survey_responses: 'id, unit_id, case_record_id, _status',
    annual_tasks: 'id, unit_id, _status',
    quality_links: 'id, plan_item_id, source_id, _status',
  });
}

const OPEN_STATES = new Set([undefined, null, 'not_started', 'in_progress']);

/** Set the derived, indexed fields of a row before it is stored (mutates and returns it). */
function withDerived(table, row) {
  if (table !== 'plan_items') return row;
  if (row.end_date && !row.ongoing && !row.deleted && OPEN_STATES.has(row.state)) row._due = row.end_date;
  else delete row._due;
  return row;
}

/** The visible fields of a stored row (bookkeeping stripped). */
/** The row as the server last sent it. */
function serverCopy(row) {
  if (!row) return null;
  if (row._status === 'synced' || row._status === undefined) return visible(row);
  return row._server ?? null;
}

export function visible(row) {
  if (!row) return row;
  const out = {};
  for (const [k, v] of Object.entries(row)) if (!BOOKKEEPING.has(k)) out[k] = v;
  return out;
}

function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A stable name for one refusal (a row may be refused more than once). */
function rejectionKey(r) {
  return `${r.table}/${r.id}/${r.at}`;
}

export function newId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  // Fallback for old engines: RFC 4122 v4 from getRandomValues.
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Store {
  constructor(name = DEFAULT_DB_NAME, { now = () => new Date() } = {}) {
    this.name = name;
    this.now = now;
    // Two connections to one database. Local writes (rows + outbox) use "strict" durability:
    // when a save resolves, it is on disk. Pulled pages use "relaxed": the page and its cursor
    // commit together or not at all, and anything lost in a crash is simply pulled again, so
    // the first sync need not wait for a disk flush per page. No liveQuery is used, so Dexie's
    // query cache is off.
    this.db = new Dexie(name, { cache: 'disabled', chromeTransactionDurability: 'strict' });
    this.feedDb = new Dexie(name, { cache: 'disabled', chromeTransactionDurability: 'relaxed' });
    defineSchema(this.db);
    defineSchema(this.feedDb);
    this.listeners = new Set();
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

  // ---- meta ---------------------------------------------------------------------------------

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

  // ---- reads (the UI's view: visible fields only) --------------------------------------------

  async get(table, id) {
    const row = await this.db.table(table).get(id);
    return row ? visible(row) : undefined;
  }

  async all(table) {
    return (await this.db.table(table).toArray()).map(visible);
  }

  async where(table, index, value) {
    return (await this.db.table(table).where(index).equals(value).toArray()).map(visible);
  }

  async listUnits() {
    const units = await this.all('units');
    return units.sort((a, b) => a.name.localeCompare(b.name));
  }

  async listPlans(unitId) {
    return this.where('plans', 'unit_id', unitId);
  }

  async listItems(planId) {
    const items = await this.where('plan_items', 'plan_id', planId);
    return items.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  }

  /**
   * Counts for a plan list: items and overdue items (an end date before `today`, not ongoing,
   * not done or cancelled), counted on indexes without reading the rows: the plan list must
   * open fast offline even for plans with thousands of items.
   */
  async itemStats(planId, today) {
    const [all, overdue, deleted] = await Promise.all([
      this.db.plan_items.where('plan_id').equals(planId).count(),
      this.db.plan_items.where('[plan_id+_due]').between([planId, Dexie.minKey], [planId, today], true, false).count(),
      this.db.plan_items.where('_status').equals('deleted').filter((i) => i.plan_id === planId).count(),
    ]);
    return { items: all - deleted, overdue };
  }

  async listNotes(itemId) {
    const notes = await this.where('progress_notes', 'item_id', itemId);
    return notes.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  }

  async listThemes(catalogueId) {
    const themes = await this.where('themes', 'catalogue_id', catalogueId);
    return themes.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  }

  // ---- inspection visits ---------------------------------------------------------------------

  async listVisits(unitId) {
    const visits = (await this.where('visits', 'unit_id', unitId)).filter((v) => !v.deleted);
    return visits.sort((a, b) => String(b.visit_date).localeCompare(String(a.visit_date)));
  }

  async listFindings(visitId) {
    const findings = (await this.where('findings', 'visit_id', visitId)).filter((f) => !f.deleted);
    return findings.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  }

  async listVisitPhotos(visitId) {
    return (await this.where('visit_photos', 'visit_id', visitId)).filter((p) => !p.deleted);
  }

  /** The plan items that answer a finding (the link seen from the finding). */
  async itemsForFinding(findingId) {
    return (await this.where('plan_items', 'finding_id', findingId)).filter((i) => !i.deleted);
  }

  async listComments(itemId) {
    const rows = await this.where('item_comments', 'item_id', itemId);
    return rows.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  }

  async listExtensions(itemId) {
    const rows = await this.where('deadline_extensions', 'item_id', itemId);
    return rows.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  }

  /** Keep a photo's bytes on this device until they are uploaded (idempotent by hash). */
  async putPhotoBlob(sha256, blob, contentType) {
    const existing = await this.db.photo_blobs.get(sha256);
    if (existing) return existing;
    const row = { sha256, blob, content_type: contentType, size: blob.size, uploaded: 0, error: null };
    await this.db.photo_blobs.put(row);
    return row;
  }

  async getPhotoBlob(sha256) {
    return this.db.photo_blobs.get(sha256);
  }

  async pendingPhotoBlobs() {
    return this.db.photo_blobs.where('uploaded').equals(0).filter((p) => !p.error).toArray();
  }

  async markPhotoBlob(sha256, changes) {
    await this.db.photo_blobs.update(sha256, changes);
    this._emit({ table: 'photo_blobs', id: sha256 });
  }

  /** The server's refusals of this device's changes (newest last), as ackBatch keeps them. */
  async listRejections() {
    return (await this.getMeta('rejections')) || [];
  }

  /** The user has read these refusals where they happened; Settings still lists them. */
  async markRejectionsSeen(rejections) {
    const wanted = new Set(rejections.map(rejectionKey));
    await this.db.transaction('rw', this.db.meta, async () => {
      const list = (await this.db.meta.get('rejections'))?.value ?? [];
      const marked = list.map((r) => (wanted.has(rejectionKey(r)) ? { ...r, seen: true } : r));
      await this.db.meta.put({ key: 'rejections', value: marked });
    });
    this._emit({ table: 'meta', id: 'rejections' });
  }

  async listOpenConflicts() {
    return this.where('conflicts', 'status', 'open');
  }

  /** The number of changes waiting to reach the server. */
  async pendingCount() {
    // Photos whose bytes have not reached the server yet count as waiting changes too.
    const [outbox, photos] = await Promise.all([
      this.db.outbox.count(),
      this.db.photo_blobs.where('uploaded').equals(0).filter((p) => !p.error).count(),
    ]);
    return outbox + photos;
  }

  // ---- local writes (row + outbox in one transaction) -----------------------------------------

  /**
   * Create a row on this device. Resolves once the row and its outbox entry are durable.
   */
  async create(table, fields) {
    if (!WRITABLE.has(table)) throw new Error(`table ${table} is read-only`);
    const id = fields.id || newId();
    const row = { ...fields, id };
    await this.db.transaction('rw', this.db.table(table), this.db.outbox, async () => {
      const existing = await this.db.table(table).get(id);
      if (existing) throw new Error(`${table} ${id} exists`);
      await this.db.table(table).put(withDerived(table, { ...row, _status: 'created', _version: null, _server: null }));
      await this.db.outbox.add({
        table,
        id,
        op: 'upsert',
        fields: sendable(table, row),
        base: {},
        base_version: null,
        mutation_id: null,
        created_at: this.now().toISOString(),
      });
    });
    this._emit({ table, id });
    return visible(row);
  }

  /**
   * Change some fields of a row. Only fields whose value differs are recorded. If an outbox entry
   * for the row has not yet been taken into a push, the change joins it (keeping the earliest
   * base of each field, i.e. what the user first saw); otherwise a new entry is written.
   */
  async update(table, id, changes) {
    if (!WRITABLE.has(table)) throw new Error(`table ${table} is read-only`);
    let changed = {};
    await this.db.transaction('rw', this.db.table(table), this.db.outbox, async () => {
      const row = await this.db.table(table).get(id);
      if (!row) throw new Error(`${table} ${id} not found`);
      const base = {};
      changed = {};
      for (const [field, value] of Object.entries(changes)) {
        if (field === 'id' || BOOKKEEPING.has(field)) continue;
        if (sameValue(row[field], value)) continue;
        changed[field] = value;
        base[field] = row[field] ?? null;
      }
      if (Object.keys(changed).length === 0) return;
      const toSend = sendable(table, changed);
      const sendBase = Object.fromEntries(Object.keys(toSend).map((f) => [f, base[f]]));
      const open = await this._openEntry(table, id);
      if (!Object.keys(toSend).length) {
        // Only server-owned fields changed: nothing to send.
      } else if (open && open.op === 'upsert') {
        await this.db.outbox.update(open.seq, {
          fields: { ...open.fields, ...toSend },
          base: { ...sendBase, ...open.base },
        });
      } else {
        await this.db.outbox.add({
          table,
          id,
          op: 'upsert',
          fields: toSend,
          base: sendBase,
          base_version: row._version,
          mutation_id: null,
          created_at: this.now().toISOString(),
        });
      }
      const status = row._status === 'created' ? 'created' : 'updated';
      await this.db.table(table).put(withDerived(table, { ...row, ...changed, _status: status, _server: serverCopy(row) }));
    });
    if (Object.keys(changed).length) this._emit({ table, id });
    return changed;
  }

  async remove(table, id) {
    if (!WRITABLE.has(table)) throw new Error(`table ${table} is read-only`);
    await this.db.transaction('rw', this.db.table(table), this.db.outbox, () => this._removeRow(table, id));
    this._emit({ table, id });
  }

  /**
   * Delete a visit with its findings and photo records, in one transaction, as the server's
   * delete_visit does. Each row is removed on its own: a row that never reached the server is
   * forgotten (so no orphaned create of a finding is pushed after its visit is gone), the others
   * get a delete entry, findings and photos before the visit.
   */
  async removeVisit(visitId) {
    const { visits, findings, visit_photos: photos, photo_blobs: blobs, outbox } = this.db;
    await this.db.transaction('rw', [visits, findings, photos, blobs, outbox], async () => {
      for (const f of await findings.where('visit_id').equals(visitId).toArray()) {
        if (!f.deleted) await this._removeRow('findings', f.id);
      }
      for (const p of await photos.where('visit_id').equals(visitId).toArray()) {
        if (!p.deleted) await this._removePhotoRow(p);
      }
      await this._removeRow('visits', visitId);
    });
    this._emit({ table: 'visits', id: visitId });
  }

  /** Delete a photo record; its bytes leave the device too unless another record shows them
   * (a deleted photo is not uploaded after the fact). */
  async removePhoto(photoId) {
    const { visit_photos: photos, photo_blobs: blobs, outbox } = this.db;
    await this.db.transaction('rw', [photos, blobs, outbox], async () => {
      const photo = await photos.get(photoId);
      if (photo) await this._removePhotoRow(photo);
    });
    this._emit({ table: 'visit_photos', id: photoId });
  }

  async _removePhotoRow(photo) {
    await this._removeRow('visit_photos', photo.id);
    const others = await this.db.visit_photos.where('sha256').equals(photo.sha256)
      .filter((p) => p.id !== photo.id && !p.deleted).count();
    if (!others) await this.db.photo_blobs.delete(photo.sha256);
  }

  /** Inside a transaction over the row's table and the outbox. */
  async _removeRow(table, id) {
    const row = await this.db.table(table).get(id);
    if (!row) return;
    const open = await this._openEntry(table, id);
    if (row._status === 'created' && open && !(await this._hasTakenEntry(table, id))) {
      // Never reached the server: forget it entirely.
      await this.db.outbox.delete(open.seq);
      await this.db.table(table).delete(id);
      return;
    }
    if (open) await this.db.outbox.delete(open.seq);
    await this.db.outbox.add({
      table,
      id,
      op: 'delete',
      fields: {},
      base: {},
      base_version: row._version,
      mutation_id: null,
      created_at: this.now().toISOString(),
    });
    await this.db.table(table).put(withDerived(table, { ...row, deleted: true, _status: 'deleted', _server: serverCopy(row) }));
  }

  /** The newest outbox entry for a row not yet taken into a push, if any. */
  async _openEntry(table, id) {
    const entries = await this.db.outbox.where('[table+id]').equals([table, id]).toArray();
    const open = entries.filter((e) => e.mutation_id == null);
    return open.length ? open[open.length - 1] : null;
  }

  async _hasTakenEntry(table, id) {
    const entries = await this.db.outbox.where('[table+id]').equals([table, id]).toArray();
    return entries.some((e) => e.mutation_id != null);
  }

  /**
   * Set fields locally without owing the server anything: used after a REST lifecycle action or
   * a conflict resolution, whose authoritative result the next pull brings.
   */
  async patchLocal(table, id, fields) {
    const row = await this.db.table(table).get(id);
    if (!row) return;
    await this.db.table(table).put(withDerived(table, { ...row, ...fields }));
    this._emit({ table, id });
  }

  /** Store a row the server just returned through REST (e.g. a plan created online). */
  async putServerRow(table, id, version, fields) {
    await this.applyPage([{ table, id, version, deleted: false, fields }], undefined);
  }

  // ---- used by the sync module ----------------------------------------------------------------

  /**
   * Apply one page of pulled changes and (when given) save the cursor, in one transaction: the
   * cursor never runs ahead of the data. A row with pending edits keeps them on top of the
   * server's new values; the server settles any clash when the edits are pushed.
   */
  async applyPage(changes, cursor, { fresh = false } = {}) {
    const tables = SYNCED_TABLES.map((t) => this.feedDb.table(t));
    await this.feedDb.transaction('rw', [...tables, this.feedDb.outbox, this.feedDb.meta], async () => {
      // A pull that started from no cursor can only meet rows this device made itself (they
      // are in the outbox) or rows from earlier pages of the same pull (older or equal): it
      // skips reading every row first, which halves the cost of a first sync.
      const waiting = fresh
        ? new Set((await this.feedDb.outbox.toArray()).map((e) => `${e.table}/${e.id}`))
        : null;
      const byTable = new Map();
      for (const c of changes) {
        if (!SYNCED_TABLES.includes(c.table)) continue; // a table from a newer schema
        if (!byTable.has(c.table)) byTable.set(c.table, []);
        byTable.get(c.table).push(c);
      }
      for (const [table, list] of byTable) {
        const t = this.feedDb.table(table);
        const ids = list.map((c) => c.id);
        const current = fresh
          ? await Promise.all(ids.map((id) => (waiting.has(`${table}/${id}`) ? t.get(id) : undefined)))
          : await t.bulkGet(ids);
        const puts = [];
        const deletes = [];
        for (let i = 0; i < list.length; i += 1) {
          const c = list[i];
          const local = current[i];
          const pending = local && local._status !== 'synced';
          if (c.deleted) {
            // The delete wins; pending edits stay in the outbox and become a conflict record
            // on the server when pushed, so nothing is lost.
            deletes.push(c.id);
            continue;
          }
          // An older version than the one held (e.g. a pull racing a push answer) is ignored,
          // except by a row kept through a reset: the server may have gone back (a restore).
          if (local && local._version != null && !local._reset && c.version < local._version) continue;
          const server = { ...c.fields, id: c.id };
          if (pending) {
            const mine = await this._pendingFields(table, c.id, this.feedDb);
            puts.push(withDerived(table, { ...server, ...mine, _status: local._status, _version: c.version, _server: server }));
          } else {
            puts.push(withDerived(table, { ...server, _status: 'synced', _version: c.version }));
          }
        }
        if (puts.length) await t.bulkPut(puts);
        if (deletes.length) await t.bulkDelete(deletes);
      }
      if (cursor !== undefined) await this.feedDb.meta.put({ key: 'cursor', value: cursor });
    });
    if (changes.length) this._emit({ pulled: changes.length });
  }

  async _pendingFields(table, id, db = this.db) {
    const entries = await db.outbox.where('[table+id]').equals([table, id]).sortBy('seq');
    const fields = {};
    for (const e of entries) if (e.op === 'upsert') Object.assign(fields, e.fields);
    return fields;
  }

  /**
   * Take up to `limit` outbox entries, oldest first, into a push batch, giving each a mutation id
   * (kept if it already has one, so retries repeat the same ids). A batch holds at most one entry
   * per row: the next one waits for the first one's answer, which gives it its base version.
   */
  async takeBatch(limit) {
    let batch = [];
    await this.db.transaction('rw', this.db.outbox, this.db.meta, async () => {
      const entries = await this.db.outbox.orderBy('seq').limit(limit).toArray();
      const seen = new Set();
      let next = ((await this.db.meta.get('last_mutation_id'))?.value ?? 0) + 1;
      for (const e of entries) {
        const key = `${e.table}/${e.id}`;
        if (seen.has(key)) break;
        seen.add(key);
        if (e.mutation_id == null) {
          e.mutation_id = next;
          next += 1;
          await this.db.outbox.update(e.seq, { mutation_id: e.mutation_id });
        }
        batch.push(e);
      }
      const top = batch.reduce((m, e) => Math.max(m, e.mutation_id), 0);
      const saved = (await this.db.meta.get('last_mutation_id'))?.value ?? 0;
      if (top > saved) await this.db.meta.put({ key: 'last_mutation_id', value: top });
    });
    return batch;
  }

  /**
   * Record the server's answers to a pushed batch (docs/sync-protocol.md, section 5). Every
   * answered entry leaves the outbox; then the row's server copy is updated and what the user
   * sees is rebuilt as server copy + the row's remaining outbox entries:
   *
   *   applied     server copy := server copy + the fields sent (or `row` when the server sent it)
   *   merged      server copy := `row` (others' changes to other fields included)
   *   conflict    server copy := `row`; the server value stayed, the conflict row comes by pull
   *   rejected    server copy unchanged; the refusal is kept in meta "rejections" for the user
   *   duplicate   treated as its `original_status`
   *
   * A row the server deleted, or never took (a refused create), is forgotten unless more local
   * changes of it wait in the outbox.
   */
  async ackBatch(batch, results) {
    const byId = new Map(batch.map((e) => [e.mutation_id, e]));
    const rejections = [];
    const tables = SYNCED_TABLES.map((t) => this.db.table(t));
    await this.db.transaction('rw', [...tables, this.db.outbox, this.db.meta], async () => {
      for (const answer of results) {
        const r = answer.status === 'duplicate'
          ? { ...answer, status: answer.original_status || 'applied' }
          : answer;
        const entry = byId.get(r.mutation_id);
        if (!entry) continue;
        await this.db.outbox.delete(entry.seq);
        if (r.status === 'rejected') {
          rejections.push({
            table: entry.table,
            id: entry.id,
            op: entry.op,
            fields: entry.fields,
            error: r.error || null,
            at: this.now().toISOString(),
          });
        }
        const t = this.db.table(entry.table);
        const row = await t.get(entry.id);
        const rest = await this.db.outbox.where('[table+id]').equals([entry.table, entry.id]).toArray();
        const accepted = r.status === 'applied' || r.status === 'merged';

        let server = serverCopy(row);
        let version = row ? row._version : null;
        let gone = false;
        if (r.row) {
          gone = Boolean(r.row.deleted);
          server = gone ? null : { ...r.row.fields, id: entry.id };
          version = r.row.version ?? r.version ?? version;
        } else if (accepted) {
          if (entry.op === 'delete') gone = true;
          else server = { ...(server || { id: entry.id }), ...entry.fields };
          version = r.version ?? version;
        } else if (r.status === 'conflict' && r.version != null) {
          version = r.version;
        }
        if (accepted && entry.op === 'upsert') {
          // Later edits of this row were made on top of what this device showed, which the
          // server now holds at `version`.
          for (const e of rest) {
            if (e.mutation_id == null && (e.base_version ?? -1) < (version ?? 0)) {
              await this.db.outbox.update(e.seq, { base_version: version });
            }
          }
        }
        if (!row) continue;
        if ((gone || !server) && !rest.length) {
          await t.delete(entry.id);
          continue;
        }
        if (gone) {
          // Deleted on the server: remaining edits will come back as delete_edit conflicts.
          await t.delete(entry.id);
          continue;
        }
        const mine = {};
        for (const e of rest) if (e.op === 'upsert') Object.assign(mine, e.fields);
        const status = rest.length ? (server ? 'updated' : 'created') : 'synced';
        const rebuilt = { ...row, ...server, ...mine, _version: version, _status: status };
        delete rebuilt._reset; // the server has just answered for this row: its version is current
        if (status === 'synced') delete rebuilt._server;
        else rebuilt._server = server;
        if (rest.some((e) => e.op === 'delete')) {
          rebuilt.deleted = true;
          rebuilt._status = 'deleted';
        } else if (entry.op === 'delete') {
          rebuilt.deleted = false;
        }
        await t.put(withDerived(entry.table, rebuilt));
      }
      if (rejections.length) {
        const prev = (await this.db.meta.get('rejections'))?.value ?? [];
        await this.db.meta.put({ key: 'rejections', value: [...prev, ...rejections].slice(-50) });
      }
    });
    this._emit({ acked: results.length });
    return rejections;
  }

  /**
   * The server refused a push with `mutation_gap` (it lost ids, e.g. restored from a backup):
   * number the sealed outbox entries again from `expected`, keeping their order.
   */
  async renumberOutbox(expected) {
    await this.db.transaction('rw', this.db.outbox, this.db.meta, async () => {
      const sealed = (await this.db.outbox.orderBy('seq').toArray()).filter((e) => e.mutation_id != null);
      let next = expected;
      for (const e of sealed) {
        await this.db.outbox.update(e.seq, { mutation_id: next });
        next += 1;
      }
      await this.db.meta.put({ key: 'last_mutation_id', value: next - 1 });
    });
  }

  /** A new client id (the old one belongs to another user): mutation ids start again at 1. */
  async newClientIdentity(clientId) {
    await this.db.transaction('rw', this.db.outbox, this.db.meta, async () => {
      await this.db.meta.put({ key: 'client_id', value: clientId });
      await this.db.meta.put({ key: 'last_mutation_id', value: 0 });
      await this.db.outbox.toCollection().modify({ mutation_id: null });
    });
  }

  /**
   * Start over after the server said `reset_required`: forget the cursor and every row that
   * owes the server nothing; rows with pending edits and the outbox stay.
   */
  async resetForFullPull() {
    const tables = SYNCED_TABLES.map((t) => this.db.table(t));
    await this.db.transaction('rw', [...tables, this.db.meta], async () => {
      for (const name of ['plans', 'plan_items', 'progress_notes', 'visits', 'findings', 'visit_photos', 'deadline_extensions', 'item_comments', ...QUALITY_TABLES]) {
        await this.db.table(name).where('_status').equals('synced').delete();
        // The rows kept for their edits take whatever version the full pull brings.
        await this.db.table(name).where('_status').notEqual('synced').modify({ _reset: true });
      }
      // Read-only tables (and conflicts, whose pending resolutions stay in the outbox) come back
      // whole with the full pull.
      for (const name of ['units', 'catalogues', 'themes', 'criteria', 'conflicts']) {
        await this.db.table(name).clear();
      }
      await this.db.meta.delete('cursor');
    });
    this._emit({ reset: true });
  }

  /** Logging out: delete the whole database. */
  async wipe() {
    this.db.close();
    this.feedDb.close();
    await Dexie.delete(this.name);
    this._emit({ wiped: true });
  }
}

export async function openStore(name = DEFAULT_DB_NAME, options) {
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
