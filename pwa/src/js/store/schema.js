/**
 * What the local store holds: the synced tables and their fields, the bookkeeping fields every
 * stored row carries, and the Dexie schema versions. This is the one place that lists tables;
 * the other store modules and the sync module derive what they need from `TABLES`.
 *
 * A stored row is shaped like the server's, plus bookkeeping:
 *
 *   _status   "synced"  | "created" | "updated" | "deleted"   (what this device owes the server)
 *   _version  the server version the row was last seen at (null for a row created here)
 *   _server   the row's fields as the server last sent them, kept only while the row has local
 *             changes (null for a row created here); a synced row *is* its server copy, so it
 *             is not stored twice (half the bytes to write on a first sync and to read on start)
 *   _due      plan items only: derived, the date after which the row is overdue (see
 *             `withDerived`); indexed with the plan from v2 to v10, counted by the per-plan
 *             summaries (summaries.js) since v11
 *   _reset    kept through a reset for its pending edits (see feed.js `resetForFullPull`)
 *   _unordered  plan items only: derived, the row's plan while its priority is not a number
 *             (a row created here without one, until the server gives it one), so it is not
 *             on the `[plan_id+priority]` index; indexed (v12), and a plan with such a row is
 *             read whole (queries.js `itemPage`)
 *
 * `TABLES` is read from the server's table registry (`sync/tables.json`), so the device sends
 * exactly the fields the server takes: a table added there needs no change here beyond its Dexie
 * version step.
 *
 * Schema versions only grow: never edit a shipped `db.version(n)` step, add a new one.
 */

import description from '../../../../sync/tables.json';
import { dueDate, rebuildSummaries } from './summaries.js';

/**
 * @typedef {object} TableInfo
 * @property {boolean} writable      the device may create, update and delete rows
 * @property {string[]} [serverFields]  fields the server sets itself (the registry's
 *   `server_fields`): kept locally (e.g. unit_id, to index rows by unit) but never sent
 * @property {string[]} [sendOnly]   when given, the only fields the device may send; such a
 *   table's rows are not written here, only answered (a conflict's resolution)
 * @property {boolean} [quality]     part of the Swedish quality follow-up (server/models/quality.py)
 */

/**
 * @type {Record<string, TableInfo>} In pull order, from the server's table registry
 * (`sync/tables.json`, written by `make tables` from server/services/tables.py).
 */
export const TABLES = Object.fromEntries(
  description.tables.map((t) => [
    t.name,
    {
      writable: !t.read_only,
      serverFields: t.server_fields,
      ...(t.read_only || t.creatable ? {} : { sendOnly: t.client_fields }),
      quality: t.quality,
    },
  ]),
);

const names = (keep) =>
  Object.entries(TABLES)
    .filter(([, info]) => keep(info))
    .map(([name]) => name);

export const SYNCED_TABLES = Object.keys(TABLES);

export const QUALITY_TABLES = names((t) => Boolean(t.quality));

/** Tables the device may write; the rest come from the server only. */
export const WRITABLE = new Set(names((t) => t.writable));

/**
 * Tables whose rows are written on this device: a reset keeps their rows with pending edits.
 * The others (read-only tables, and conflicts, whose pending resolutions stay in the outbox)
 * are cleared and come back whole with the full pull.
 */
export const ROW_WRITTEN_TABLES = names((t) => t.writable && !t.sendOnly);

export const BOOKKEEPING = new Set(['_status', '_version', '_server', '_due', '_reset', '_unordered']);

const SERVER_FIELDS = new Map(names(() => true).map((n) => [n, new Set(TABLES[n].serverFields)]));
const SEND_ONLY = new Map(names((t) => Boolean(t.sendOnly)).map((n) => [n, new Set(TABLES[n].sendOnly)]));

/** The fields of `fields` this device may send to the server for a row of `table`. */
export function sendable(table, fields) {
  const only = SEND_ONLY.get(table);
  const serverSet = SERVER_FIELDS.get(table);
  const out = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'id' || BOOKKEEPING.has(k)) continue;
    if (only ? !only.has(k) : serverSet?.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Whether a plan item is on the `[plan_id+priority]` index: IndexedDB leaves out a row whose
 * priority is missing or not a valid key. */
export function onOrderIndex(row) {
  return typeof row.priority === 'number' && !Number.isNaN(row.priority);
}

/** Set the derived fields of a row before it is stored (mutates and returns it). */
export function withDerived(table, row) {
  if (table !== 'plan_items') return row;
  const due = dueDate(row);
  if (due) row._due = due;
  else delete row._due;
  if (onOrderIndex(row)) delete row._unordered;
  else row._unordered = row.plan_id;
  return row;
}

/** The visible fields of a stored row (bookkeeping stripped). */
export function visible(row) {
  if (!row) return row;
  const out = {};
  for (const [k, v] of Object.entries(row)) if (!BOOKKEEPING.has(k)) out[k] = v;
  return out;
}

/** The row as the server last sent it. */
export function serverCopy(row) {
  if (!row) return null;
  if (row._status === 'synced' || row._status === undefined) return visible(row);
  return row._server ?? null;
}

/** Declare every schema version on a Dexie instance (both of the store's connections). */
export function defineSchema(db) {
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
    .upgrade((tx) =>
      tx
        .table('plan_items')
        .toCollection()
        .modify((row) => {
          withDerived('plan_items', row);
        }),
    );
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
  // v5: the dialogue with the inspectorate (a thread per plan and per plan row); a new table.
  db.version(5).stores({ plan_messages: 'id, plan_id, item_id, _status' });
  // v6: refused drafts (drafts.js), one per row, keyed "<table>/<id>". The refusals kept until
  // now in meta "rejections" still hold the typed values: they become drafts, so the person
  // can get the text back, and the meta entry goes.
  db.version(6)
    .stores({ drafts: 'key, table, at' })
    .upgrade(async (tx) => {
      const old = (await tx.table('meta').get('rejections'))?.value ?? [];
      for (const r of old) {
        if (!r || !r.table || !r.id || !tx.storeNames.includes(r.table)) continue;
        const key = `${r.table}/${r.id}`;
        const row = await tx.table(r.table).get(r.id);
        const prev = await tx.table('drafts').get(key);
        const create = r.op === 'upsert' && !row;
        const fields = { ...(prev?.fields || {}), ...(r.fields || {}) };
        const context = {};
        for (const k of ['unit_id', 'plan_id', 'item_id', 'visit_id']) {
          const v = (row && row[k]) ?? fields[k];
          if (v != null) context[k] = v;
        }
        await tx.table('drafts').put({
          key,
          table: r.table,
          id: r.id,
          op: r.op || 'upsert',
          create,
          fields: r.op === 'delete' ? {} : fields,
          row: create ? { ...fields, id: r.id } : null,
          error: {
            code: (r.error && r.error.error) || 'invalid_input',
            message: (r.error && r.error.message) || '',
            fields: { ...(prev?.error?.fields || {}), ...((r.error && r.error.fields) || {}) },
          },
          status: 'rejected',
          context,
          at: r.at || new Date(0).toISOString(),
          seen: Boolean(r.seen),
        });
      }
      await tx.table('meta').delete('rejections');
    });
  // v7: the follow-up levels of seed 003 (uppdrags-/avtalsuppföljning and its deviations,
  // tematisk uppföljning and each unit's result, the sammanvägd bedömning); new tables only.
  db.version(7).stores({
    assignment_follow_ups: 'id, unit_id, _status',
    follow_up_deviations: 'id, follow_up_id, unit_id, _status',
    thematic_follow_ups: 'id, unit_id, _status',
    thematic_results: 'id, follow_up_id, unit_id, _status',
    overall_assessments: 'id, unit_id, _status',
  });
  // v8: a plan's change history (GET /api/plans/{id}/history) as last fetched, one entry per
  // plan, so the history screen works offline. Not synced: fetched again whenever it is opened
  // online; the whole database goes at logout.
  db.version(8).stores({ plan_history: 'plan_id' });
  // v9: riskanalyser and egenkontroll with checklists (server/models/quality.py); new tables only.
  db.version(9).stores({
    risk_analyses: 'id, unit_id, _status',
    checklists: 'id, unit_id, _status',
    checklist_runs: 'id, unit_id, checklist_id, _status',
    checklist_answers: 'id, run_id, unit_id, _status',
  });
  // v10: evidence (DOKUMENTATION) on a plan row or one of its progress notes; a new table. Its
  // bytes wait in `photo_blobs` until uploaded, like a visit photo's.
  db.version(10).stores({ plan_attachments: 'id, item_id, plan_id, note_id, sha256, _status' });
  // v11: per-plan summaries of the plan items (summaries.js), local only: the plan list reads
  // one row per plan instead of counting on indexes. Built here from the rows already stored.
  // The [plan_id+_due] index they replace goes: one index entry fewer to write per item.
  db.version(11)
    .stores({
      plan_items: 'id, plan_id, unit_id, _status, finding_id',
      plan_summaries: 'plan_id',
    })
    .upgrade((tx) => rebuildSummaries(tx.table('plan_items'), tx.table('plan_summaries')));
  // v12: plan items by plan in the plan's order, so a long plan opens on its first page of rows
  // (queries.js itemPage) without reading the rest; IndexedDB builds the index from the rows
  // already stored. The few rows off it (no numeric priority) are marked `_unordered` and
  // indexed, so a plan can tell at once whether the order index holds all its rows.
  db.version(12)
    .stores({ plan_items: 'id, plan_id, unit_id, _status, finding_id, [plan_id+priority], _unordered' })
    .upgrade((tx) =>
      tx
        .table('plan_items')
        .filter((row) => !onOrderIndex(row))
        .modify((row) => {
          withDerived('plan_items', row);
        }),
    );
}
