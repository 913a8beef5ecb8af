/**
 * Local writes and the outbox. A change the user makes is written as the row AND one outbox
 * entry, in the same IndexedDB transaction (the "strict" connection), so when a save resolves
 * the change is durable and the UI may say "saved". What the UI sees is the server copy
 * overlaid with the row's pending edits.
 *
 * Outbox entry:
 *   { seq, table, id, op: "upsert"|"delete", fields, base, base_version, mutation_id, created_at }
 *
 * `mutation_id` is null until the sync module takes the entry into a push batch (feed.js
 * `takeBatch`); then it is fixed (and persisted) so a retried batch carries the same ids and the
 * server can answer "duplicate". Ids are handed out at push time, not write time, because the
 * server refuses gaps and entries may still be coalesced: two edits of one row before a push
 * become one mutation, keeping the earliest base of each field (what the user first saw).
 *
 * A write of a plan item changes its plan's summary (summaries.js) in the same transaction, so
 * every transaction over a row's table here covers the summaries too (`rowScope`).
 *
 * Each function takes the `Store` (store.js) as its first argument.
 */
import { BOOKKEEPING, WRITABLE, sendable, serverCopy, visible, withDerived } from './schema.js';
import { newId } from './ids.js';
import { SUMMARY_TABLE, saveSummaryChange } from './summaries.js';

export { newId };

/** @typedef {import('./store.js').Store} Store */

function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function refuseReadOnly(table) {
  if (!WRITABLE.has(table)) throw new Error(`table ${table} is read-only`);
}

/** The tables a local write of a row of `table` needs: the row's, the outbox, the summaries. */
export function rowScope(db, table) {
  return [db.table(table), db.outbox, db.table(SUMMARY_TABLE)];
}

/**
 * Create a row on this device. Resolves once the row and its outbox entry are durable.
 * @param {Store} store
 */
export async function create(store, table, fields) {
  refuseReadOnly(table);
  const { db } = store;
  const row = await db.transaction('rw', rowScope(db, table), () => createRow(store, table, fields));
  store._emit({ table, id: row.id });
  return visible(row);
}

/** The row and its outbox entry, inside a transaction over the row's table and the outbox. */
export async function createRow(store, table, fields) {
  const { db } = store;
  const id = fields.id || newId();
  const row = { ...fields, id };
  const existing = await db.table(table).get(id);
  if (existing) throw new Error(`${table} ${id} exists`);
  const stored = withDerived(table, { ...row, _status: 'created', _version: null, _server: null });
  await db.table(table).put(stored);
  await saveSummaryChange(db, table, null, stored);
  await db.outbox.add({
    table,
    id,
    op: 'upsert',
    fields: sendable(table, row),
    base: {},
    base_version: null,
    mutation_id: null,
    created_at: store.now().toISOString(),
  });
  return row;
}

/**
 * Change some fields of a row. Only fields whose value differs are recorded. If an outbox entry
 * for the row has not yet been taken into a push, the change joins it (keeping the earliest
 * base of each field, i.e. what the user first saw); otherwise a new entry is written.
 * @param {Store} store
 */
export async function update(store, table, id, changes) {
  refuseReadOnly(table);
  const { db } = store;
  let changed = {};
  await db.transaction('rw', rowScope(db, table), async () => {
    changed = await updateRow(store, table, id, changes);
  });
  if (Object.keys(changed).length) store._emit({ table, id });
  return changed;
}

/** The change and its outbox entry, inside a transaction over the row's table and the outbox. */
export async function updateRow(store, table, id, changes) {
  const { db } = store;
  const row = await db.table(table).get(id);
  if (!row) throw new Error(`${table} ${id} not found`);
  const base = {};
  const changed = {};
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'id' || BOOKKEEPING.has(field)) continue;
    if (sameValue(row[field], value)) continue;
    changed[field] = value;
    base[field] = row[field] ?? null;
  }
  if (Object.keys(changed).length === 0) return changed;
  const toSend = sendable(table, changed);
  const sendBase = Object.fromEntries(Object.keys(toSend).map((f) => [f, base[f]]));
  const open = await openEntry(store, table, id);
  if (!Object.keys(toSend).length) {
    // Only server-owned fields changed: nothing to send.
  } else if (open && open.op === 'upsert') {
    await db.outbox.update(open.seq, {
      fields: { ...open.fields, ...toSend },
      base: { ...sendBase, ...open.base },
    });
  } else {
    await db.outbox.add({
      table,
      id,
      op: 'upsert',
      fields: toSend,
      base: sendBase,
      base_version: row._version,
      mutation_id: null,
      created_at: store.now().toISOString(),
    });
  }
  const status = row._status === 'created' ? 'created' : 'updated';
  const stored = withDerived(table, { ...row, ...changed, _status: status, _server: serverCopy(row) });
  await db.table(table).put(stored);
  await saveSummaryChange(db, table, row, stored);
  return changed;
}

/** @param {Store} store */
export async function remove(store, table, id) {
  refuseReadOnly(table);
  const { db } = store;
  await db.transaction('rw', rowScope(db, table), () => removeRow(store, table, id));
  store._emit({ table, id });
}

/**
 * Delete a visit with its findings and photo records, in one transaction, as the server's
 * delete_visit does. Each row is removed on its own: a row that never reached the server is
 * forgotten (so no orphaned create of a finding is pushed after its visit is gone), the others
 * get a delete entry, findings and photos before the visit.
 * @param {Store} store
 */
export async function removeVisit(store, visitId) {
  const { db } = store;
  const { visits, findings, visit_photos: photos, photo_blobs: blobs, outbox } = db;
  await db.transaction('rw', [visits, findings, photos, blobs, outbox], async () => {
    for (const f of await findings.where('visit_id').equals(visitId).toArray()) {
      if (!f.deleted) await removeRow(store, 'findings', f.id);
    }
    for (const p of await photos.where('visit_id').equals(visitId).toArray()) {
      if (!p.deleted) await removePhotoRow(store, p);
    }
    await removeRow(store, 'visits', visitId);
  });
  store._emit({ table: 'visits', id: visitId });
}

/**
 * Delete a photo record; its bytes leave the device too unless another record shows them
 * (a deleted photo is not uploaded after the fact).
 * @param {Store} store
 */
export async function removePhoto(store, photoId) {
  const { db } = store;
  const { visit_photos: photos, photo_blobs: blobs, outbox } = db;
  await db.transaction('rw', [photos, blobs, outbox], async () => {
    const photo = await photos.get(photoId);
    if (photo) await removePhotoRow(store, photo);
  });
  store._emit({ table: 'visit_photos', id: photoId });
}

async function removePhotoRow(store, photo) {
  const { db } = store;
  await removeRow(store, 'visit_photos', photo.id);
  const others = await db.visit_photos
    .where('sha256')
    .equals(photo.sha256)
    .filter((p) => p.id !== photo.id && !p.deleted)
    .count();
  if (!others) await db.photo_blobs.delete(photo.sha256);
}

/**
 * Delete a plan row's attachment; its bytes leave the device too unless another record (an
 * attachment or a visit photo) shows them, so a deleted file is not uploaded after the fact.
 * @param {Store} store
 */
export async function removeAttachment(store, attachmentId) {
  const { db } = store;
  const { plan_attachments: attachments, visit_photos: photos, photo_blobs: blobs, outbox } = db;
  await db.transaction('rw', [attachments, photos, blobs, outbox], async () => {
    const attachment = await attachments.get(attachmentId);
    if (!attachment) return;
    await removeRow(store, 'plan_attachments', attachment.id);
    const live = (r) => r.id !== attachment.id && !r.deleted;
    const others =
      (await attachments.where('sha256').equals(attachment.sha256).filter(live).count()) +
      (await photos.where('sha256').equals(attachment.sha256).filter(live).count());
    if (!others) await blobs.delete(attachment.sha256);
  });
  store._emit({ table: 'plan_attachments', id: attachmentId });
}

/** Inside a transaction over the row's table and the outbox. */
export async function removeRow(store, table, id) {
  const { db } = store;
  const row = await db.table(table).get(id);
  if (!row) return;
  const open = await openEntry(store, table, id);
  if (row._status === 'created' && open && !(await hasTakenEntry(store, table, id))) {
    // Never reached the server: forget it entirely.
    await db.outbox.delete(open.seq);
    await db.table(table).delete(id);
    await saveSummaryChange(db, table, row, null);
    return;
  }
  if (open) await db.outbox.delete(open.seq);
  await db.outbox.add({
    table,
    id,
    op: 'delete',
    fields: {},
    base: {},
    base_version: row._version,
    mutation_id: null,
    created_at: store.now().toISOString(),
  });
  const stored = withDerived(table, { ...row, deleted: true, _status: 'deleted', _server: serverCopy(row) });
  await db.table(table).put(stored);
  await saveSummaryChange(db, table, row, stored);
}

/** The newest outbox entry for a row not yet taken into a push, if any. */
async function openEntry(store, table, id) {
  const entries = await store.db.outbox.where('[table+id]').equals([table, id]).toArray();
  const open = entries.filter((e) => e.mutation_id == null);
  return open.length ? open[open.length - 1] : null;
}

async function hasTakenEntry(store, table, id) {
  const entries = await store.db.outbox.where('[table+id]').equals([table, id]).toArray();
  return entries.some((e) => e.mutation_id != null);
}

/**
 * The fields of a row's outbox entries, later ones over earlier ones: what this device has
 * changed and the server has not answered yet. `db` is the connection of the caller's
 * transaction (the feed connection while a page is applied).
 */
export async function pendingFields(db, table, id) {
  const entries = await db.outbox.where('[table+id]').equals([table, id]).sortBy('seq');
  const fields = {};
  for (const e of entries) if (e.op === 'upsert') Object.assign(fields, e.fields);
  return fields;
}

/**
 * Set fields locally without owing the server anything: used after a REST lifecycle action or
 * a conflict resolution, whose authoritative result the next pull brings.
 * @param {Store} store
 */
export async function patchLocal(store, table, id, fields) {
  const { db } = store;
  const found = await db.transaction('rw', db.table(table), db.table(SUMMARY_TABLE), async () => {
    const row = await db.table(table).get(id);
    if (!row) return false;
    const stored = withDerived(table, { ...row, ...fields });
    await db.table(table).put(stored);
    await saveSummaryChange(db, table, row, stored);
    return true;
  });
  if (found) store._emit({ table, id });
}

/**
 * Keep a photo's bytes on this device until they are uploaded (idempotent by hash).
 * @param {Store} store
 * @param {string} sha256
 * @param {Blob} blob
 * @param {string} contentType
 */
export async function putPhotoBlob(store, sha256, blob, contentType) {
  const existing = await store.db.photo_blobs.get(sha256);
  if (existing) return existing;
  const row = { sha256, blob, content_type: contentType, size: blob.size, uploaded: 0, error: null };
  await store.db.photo_blobs.put(row);
  return row;
}

/** @param {Store} store */
export async function markPhotoBlob(store, sha256, changes) {
  await store.db.photo_blobs.update(sha256, changes);
  store._emit({ table: 'photo_blobs', id: sha256 });
}
