/**
 * Refused drafts: what the person typed and the server would not take. Nothing a person types
 * leaves the device except by their own discard.
 *
 * When a push answer is `rejected` (all of the mutation's fields refused) or `partial` (the valid
 * fields applied, the others refused), feed.js `ackBatch` keeps the refused values here, one
 * draft per row, in the same transaction that drops the mutation from the outbox:
 *
 *   { key: "<table>/<id>", table, id,
 *     op       "upsert" | "delete"     what was refused
 *     create   true when the row never reached the server (a refused create); `row` then holds
 *              the whole new row, since the device forgets a row the server never took
 *     fields   the refused values, by field (for an upsert)
 *     error    { code, message, fields: {field: [reason, ...]} } as the server said it
 *     status   "rejected" | "partial"
 *     context  { unit_id, plan_id, item_id, visit_id } of the row, so a list can link to it
 *     at       when the server refused it (ISO time)
 *     seen     the person has read it where it happened (the visit screen); still listed }
 *
 * A second refusal of the same row joins the draft: newer values and reasons over older ones.
 * The person can then:
 *
 *   resend   the draft's (fixed) values become a pending change again, based on the current
 *            server copy (writes.js `update`, or `create` for a refused create), and the draft
 *            goes, in one transaction
 *   discard  the draft goes; the row stays as the server has it
 *
 * Each function takes the `Store` (store.js) as its first argument, except `keepRefused`, which
 * runs inside ackBatch's transaction and takes its connection.
 */
import { visible } from './schema.js';
import * as writes from './writes.js';

/** @typedef {import('./store.js').Store} Store */

export const draftKey = (table, id) => `${table}/${id}`;

const CONTEXT_FIELDS = ['unit_id', 'plan_id', 'item_id', 'visit_id'];

/**
 * Keep what the server refused of one mutation (inside the caller's transaction over `drafts`).
 * @param {any} db  the connection of the caller's transaction
 * @param {{table: string, id: string, op: string, fields: object}} entry  the outbox entry
 * @param {object | undefined} row  the stored row before the answer (its context, a create's body)
 * @param {{status: string, error?: any, refused?: string[]}} answer  `refused`: the refused
 *   fields of a partial answer (all the entry's fields when absent)
 * @param {string} at
 */
export async function keepRefused(db, entry, row, { status, error, refused }, at) {
  const fields = {};
  for (const [k, v] of Object.entries(entry.fields || {})) if (!refused || refused.includes(k)) fields[k] = v;
  if (entry.op === 'upsert' && !Object.keys(fields).length) return null;
  const key = draftKey(entry.table, entry.id);
  const old = await db.drafts.get(key);
  const isCreate = Boolean(row && row._status === 'created' && row._version == null);
  const context = {};
  for (const k of CONTEXT_FIELDS) {
    const v = (row && row[k]) ?? (entry.fields || {})[k];
    if (v != null) context[k] = v;
  }
  const reasons = { ...(old?.error?.fields || {}), ...((error && error.fields) || {}) };
  const draft = {
    key,
    table: entry.table,
    id: entry.id,
    op: entry.op,
    create: Boolean(old?.create) || isCreate,
    fields: entry.op === 'delete' ? {} : { ...(old?.op === 'upsert' ? old.fields : {}), ...fields },
    row: old?.row ?? (isCreate ? visible(row) : null),
    error: {
      code: (error && (error.error || error.code)) || 'invalid_input',
      message: (error && error.message) || '',
      fields: reasons,
    },
    status,
    context: { ...(old?.context || {}), ...context },
    at,
    seen: false,
  };
  await db.drafts.put(draft);
  return draft;
}

/** Every waiting draft, oldest first. @param {Store} store */
export async function listDrafts(store) {
  return (await store.db.drafts.toArray()).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The draft of one row, if any. @param {Store} store */
export async function getDraft(store, table, id) {
  return store.db.drafts.get(draftKey(table, id));
}

/** @param {Store} store */
export async function draftCount(store) {
  return store.db.drafts.count();
}

/**
 * Send the draft again: `values` (the draft's fields, as the person fixed them) become a pending
 * change on top of the current server copy, and the draft goes. A refused delete is asked again.
 * Resolves to false when the row is gone (deleted on the server meanwhile): only copy or
 * discard are left then.
 * @param {Store} store
 * @param {string} table
 * @param {string} id
 * @param {object} [values]  defaults to the draft's own fields
 */
export async function resendDraft(store, table, id, values = undefined) {
  const { db } = store;
  const key = draftKey(table, id);
  let sent = false;
  await db.transaction('rw', [...writes.rowScope(db, table), db.drafts], async () => {
    const draft = await db.drafts.get(key);
    if (!draft) return;
    const fields = values ?? draft.fields;
    const row = await db.table(table).get(id);
    if (draft.op === 'delete') {
      if (!row) return;
      await writes.removeRow(store, table, id);
    } else if (row) {
      await writes.updateRow(store, table, id, fields);
    } else if (draft.create) {
      await writes.createRow(store, table, { ...(draft.row || {}), ...fields, id });
    } else {
      return;
    }
    await db.drafts.delete(key);
    sent = true;
  });
  if (sent) store._emit({ table, id, drafts: true });
  return sent;
}

/** The person gives the typed values up: the only way they leave the device. @param {Store} store */
export async function discardDraft(store, table, id) {
  await store.db.drafts.delete(draftKey(table, id));
  store._emit({ table, id, drafts: true });
}

/**
 * The person has read these refusals where they happened (the visit screen); the drafts stay
 * and are still listed in Settings.
 * @param {Store} store
 * @param {Array<{table: string, id: string}>} drafts
 */
export async function markDraftsSeen(store, drafts) {
  const { db } = store;
  await db.transaction('rw', db.drafts, async () => {
    for (const d of drafts) await db.drafts.update(draftKey(d.table, d.id), { seen: true });
  });
  store._emit({ table: 'drafts', drafts: true });
}
