/**
 * Reads for the UI: rows as the user sees them (server copy with this device's pending edits,
 * bookkeeping stripped by `visible`), sorted as the screens list them, and the counts the shell
 * shows. Nothing here writes.
 *
 * Each function takes the `Store` (store.js) as its first argument.
 */
import { visible } from './schema.js';
import { SUMMARY_TABLE, statsOf } from './summaries.js';

/** @typedef {import('./store.js').Store} Store */

const byText = (field) => (a, b) => String(a[field]).localeCompare(String(b[field]));
const byNumber = (field) => (a, b) => (a[field] ?? 0) - (b[field] ?? 0);
const notDeleted = (row) => !row.deleted;

/** @param {Store} store */
export async function get(store, table, id) {
  const row = await store.db.table(table).get(id);
  return row ? visible(row) : undefined;
}

/** @param {Store} store */
export async function all(store, table) {
  return (await store.db.table(table).toArray()).map(visible);
}

/** @param {Store} store */
export async function where(store, table, index, value) {
  return (await store.db.table(table).where(index).equals(value).toArray()).map(visible);
}

/** @param {Store} store */
export async function listUnits(store) {
  const units = await all(store, 'units');
  return units.sort((a, b) => a.name.localeCompare(b.name));
}

/** @param {Store} store */
export async function listPlans(store, unitId) {
  return where(store, 'plans', 'unit_id', unitId);
}

/** @param {Store} store */
export async function listItems(store, planId) {
  return (await where(store, 'plan_items', 'plan_id', planId)).sort(byNumber('priority'));
}

/**
 * One page of a plan's rows in the plan's order (priority, then id: the order `listItems`
 * gives), rows deleted here left out, read on the `[plan_id+priority]` index (v12): a long plan
 * opens on its first rows without reading the rest.
 *
 *   from     where to go on: the `next` of the page before (opaque), or null for the first rows
 *   limit    how many rows at most (default: all that are left)
 *   through  a row ({priority, id}): read up to and including it, however far down it is
 *
 * Returns the rows and `next`, null when the plan has no more rows. A row without a numeric
 * priority is not on the index (the server always gives one, but a row created here may wait
 * for it until pushed): such a row is marked `_unordered` (schema.js), and a plan with one is
 * read whole and sorted as `listItems` does, so no row is left out of the screen (`next` then
 * says so, and the pages after read whole too). Counting the plan's rows instead would be
 * O(rows) in IndexedDB: ~0.2-0.5 s for 50,000 rows after a restart.
 *
 * @param {Store} store
 * @param {string} planId
 * @param {{from?: ItemCursor | null, limit?: number, through?: {priority: number, id: string} | null}} [options]
 * @returns {Promise<{rows: object[], next: ItemCursor | null}>}
 */
export async function itemPage(store, planId, { from = null, limit = Infinity, through = null } = {}) {
  const table = store.db.table('plan_items');
  const byPlan = table.where('[plan_id+priority]');
  const ordered = from ? !from.whole : (await table.where('_unordered').equals(planId).count()) === 0;
  if (!ordered) return wholePage(store, planId, from ? from.at : 0, limit, through);
  const after = from && from.after;
  const lower = after ? [planId, after.priority] : [planId, -Infinity];
  const upper = through ? [planId, through.priority] : [planId, Infinity];
  const keep = (row) =>
    notDeleted(row) &&
    (!after || row.priority > after.priority || row.id > after.id) &&
    (!through || row.priority < through.priority || row.id <= through.id);
  const range = byPlan.between(lower, upper, true, true).filter(keep);
  // One row more than asked, to know whether there are more; never kept.
  const rows = (await (limit === Infinity ? range : range.limit(limit + 1)).toArray()).map(visible);
  const more = rows.length > limit || (through != null && (await hasRowsAfter(byPlan, planId, through)));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = more && last ? { after: { priority: last.priority, id: last.id } } : more ? from : null;
  return { rows: page, next };
}

/** @typedef {{after?: {priority: number, id: string}, whole?: boolean, at?: number}} ItemCursor */

/**
 * The priority a new row of the plan takes: one after the highest of its rows (deleted ones
 * left out; at least 1), from the end of the `[plan_id+priority]` index, without reading the plan.
 * @param {Store} store
 * @param {string} planId
 */
export async function nextPriority(store, planId) {
  const last = await store.db
    .table('plan_items')
    .where('[plan_id+priority]')
    .between([planId, -Infinity], [planId, Infinity], true, true)
    .reverse()
    .filter(notDeleted)
    .first();
  return Math.max(0, (last && last.priority) || 0) + 1;
}

/** Whether the plan has a row (deleted or not) after `row` in its order: cheap, on the keys. */
async function hasRowsAfter(byPlan, planId, row) {
  const later = await byPlan
    .between([planId, row.priority], [planId, Infinity], true, true)
    .filter((r) => notDeleted(r) && (r.priority > row.priority || r.id > row.id))
    .first();
  return later !== undefined;
}

/** `itemPage` for a plan with a row off the index: the whole plan read and sorted, one slice. */
async function wholePage(store, planId, at, limit, through) {
  const rows = (await listItems(store, planId)).filter(notDeleted);
  let end = Math.min(rows.length, at + limit);
  if (through) end = Math.max(end, rows.findIndex((r) => r.id === through.id) + 1);
  return { rows: rows.slice(at, end), next: end < rows.length ? { whole: true, at: end } : null };
}

/**
 * The number of plans of each unit (deleted ones left out), for the list of units: from the
 * `unit_id` index's keys, without reading the plans.
 * @param {Store} store
 * @param {string[]} unitIds
 * @returns {Promise<Map<string, number>>}
 */
export async function planCounts(store, unitIds) {
  const plans = store.db.table('plans');
  const counts = new Map(unitIds.map((id) => [id, 0]));
  if (!unitIds.length) return counts;
  const [units, deleted] = await Promise.all([
    plans.where('unit_id').anyOf(unitIds).keys(),
    plans.where('_status').equals('deleted').toArray(),
  ]);
  for (const unit of units) counts.set(unit, (counts.get(unit) ?? 0) + 1);
  for (const plan of deleted) if (counts.has(plan.unit_id)) counts.set(plan.unit_id, counts.get(plan.unit_id) - 1);
  return counts;
}

/**
 * Counts for a plan list: each plan's items, open items and overdue items on `today` (an end
 * date before it, not ongoing, not done or cancelled), read from the plans' summaries
 * (summaries.js), one small row per plan: the plan list must open fast offline even for plans
 * with thousands of items.
 * @param {Store} store
 * @param {string[]} planIds
 * @param {string} today  an ISO date
 * @returns {Promise<Map<string, {items: number, open: number, overdue: number}>>}
 */
export async function planStats(store, planIds, today) {
  const summaries = await store.db.table(SUMMARY_TABLE).bulkGet(planIds);
  return new Map(planIds.map((id, i) => [id, statsOf(summaries[i], today)]));
}

/**
 * One plan's items and overdue items on `today` (see `planStats`).
 * @param {Store} store
 * @param {string} planId
 * @param {string} today  an ISO date
 */
export async function itemStats(store, planId, today) {
  const { items, overdue } = statsOf(await store.db.table(SUMMARY_TABLE).get(planId), today);
  return { items, overdue };
}

/** Newest first. @param {Store} store */
export async function listNotes(store, itemId) {
  const notes = await where(store, 'progress_notes', 'item_id', itemId);
  return notes.sort((a, b) => byText('created_at')(b, a));
}

/**
 * The notes of several items at once, newest first per item, in one read of the item index:
 * a long plan asks for the rows it shows, not one query per row.
 * @param {Store} store
 * @param {string[]} itemIds
 * @returns {Promise<Map<string, object[]>>}
 */
export async function notesForItems(store, itemIds) {
  const byItem = new Map(itemIds.map((id) => [id, []]));
  if (!itemIds.length) return byItem;
  const rows = await store.db.table('progress_notes').where('item_id').anyOf(itemIds).toArray();
  for (const row of rows) byItem.get(row.item_id)?.push(visible(row));
  for (const list of byItem.values()) list.sort((a, b) => byText('created_at')(b, a));
  return byItem;
}

/** @param {Store} store */
export async function listThemes(store, catalogueId) {
  return (await where(store, 'themes', 'catalogue_id', catalogueId)).sort(byNumber('position'));
}

// ---- inspection visits -----------------------------------------------------------------------

/** Newest first. @param {Store} store */
export async function listVisits(store, unitId) {
  const visits = (await where(store, 'visits', 'unit_id', unitId)).filter(notDeleted);
  return visits.sort((a, b) => byText('visit_date')(b, a));
}

/** @param {Store} store */
export async function listFindings(store, visitId) {
  const findings = (await where(store, 'findings', 'visit_id', visitId)).filter(notDeleted);
  return findings.sort(byText('created_at'));
}

/** @param {Store} store */
export async function listVisitPhotos(store, visitId) {
  return (await where(store, 'visit_photos', 'visit_id', visitId)).filter(notDeleted);
}

/** The plan items that answer a finding (the link seen from the finding). @param {Store} store */
export async function itemsForFinding(store, findingId) {
  return (await where(store, 'plan_items', 'finding_id', findingId)).filter(notDeleted);
}

/** @param {Store} store */
export async function listComments(store, itemId) {
  return (await where(store, 'item_comments', 'item_id', itemId)).sort(byText('created_at'));
}

/** @param {Store} store */
export async function listExtensions(store, itemId) {
  return (await where(store, 'deadline_extensions', 'item_id', itemId)).sort(byText('created_at'));
}

/** A row's evidence, its notes' included (each says `note_id`), oldest first. @param {Store} store */
export async function listAttachments(store, itemId) {
  return (await where(store, 'plan_attachments', 'item_id', itemId)).filter(notDeleted).sort(byText('created_at'));
}

/**
 * The evidence of several rows at once (see `listAttachments`), in one read of the item index.
 * @param {Store} store
 * @param {string[]} itemIds
 * @returns {Promise<Map<string, object[]>>}
 */
export async function attachmentsForItems(store, itemIds) {
  const byItem = new Map(itemIds.map((id) => [id, []]));
  if (!itemIds.length) return byItem;
  const rows = await store.db.table('plan_attachments').where('item_id').anyOf(itemIds).toArray();
  for (const row of rows) if (notDeleted(row)) byItem.get(row.item_id)?.push(visible(row));
  for (const list of byItem.values()) list.sort(byText('created_at'));
  return byItem;
}

/** @param {Store} store */
export async function getPhotoBlob(store, sha256) {
  return store.db.table('photo_blobs').get(sha256);
}

/** Photos whose bytes still wait for upload (and have not failed for good). @param {Store} store */
export async function pendingPhotoBlobs(store) {
  return waitingPhotos(store).toArray();
}

function waitingPhotos(store) {
  return store.db
    .table('photo_blobs')
    .where('uploaded')
    .equals(0)
    .filter((p) => !p.error);
}

/** @param {Store} store */
export async function listOpenConflicts(store) {
  return where(store, 'conflicts', 'status', 'open');
}

/** For the badge on every screen: counted on the index, no row read. @param {Store} store */
export async function openConflictCount(store) {
  return store.db.table('conflicts').where('status').equals('open').count();
}

/**
 * The number of changes waiting to reach the server.
 * @param {Store} store
 */
export async function pendingCount(store) {
  // Photos whose bytes have not reached the server yet count as waiting changes too.
  const [outbox, photos] = await Promise.all([store.db.table('outbox').count(), waitingPhotos(store).count()]);
  return outbox + photos;
}
