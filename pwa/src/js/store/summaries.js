/**
 * Per-plan summaries of the plan items, so the plan list (the first screen, offline) reads one
 * small row per plan instead of counting each plan's items on indexes (O(items) per plan).
 * Local to this device, never synced; table `plan_summaries`, keyed by plan:
 *
 *   { plan_id,
 *     items  the plan's rows as this device shows them: pending local edits included, rows
 *            deleted here (waiting to be pushed) left out
 *     open   of those, the ones not done or cancelled
 *     due    of the open ones with an end date and not ongoing, how many end on each date
 *            ({"2026-05-01": 3, ...}) }
 *
 * "Overdue" depends on the day, so no overdue count is stored: the overdue rows of any day are
 * the sum of `due` over the dates before it (`statsOf`), and a summary is as right after
 * midnight as before. A plan has a few hundred distinct end dates at most: summing them is cheap.
 *
 * Every write of a plan item notes its row before and after in the same transaction
 * (`SummaryChanges`): a row adds its share to its plan's summary, and leaves it when it
 * changes, moves to another plan or goes. Shares add up, so a transaction notes all its rows and
 * saves each touched summary once. Where rows go in bulk (the schema's upgrade to v11, a reset
 * for a full pull) the summaries are built again from the rows (`rebuildSummaries`).
 */

/** The table summarized, and where its summaries are kept. */
export const SUMMARIZED_TABLE = 'plan_items';
export const SUMMARY_TABLE = 'plan_summaries';

const OPEN_STATES = new Set([undefined, null, 'not_started', 'in_progress']);

/** A plan item is open until it is done or cancelled. */
export function isOpen(row) {
  return OPEN_STATES.has(row.state);
}

/** The date after which a plan item is overdue (its end date while open and not ongoing), or null. */
export function dueDate(row) {
  return row.end_date && !row.ongoing && !row.deleted && isOpen(row) ? row.end_date : null;
}

/** What a stored row adds to its plan's summary, or null (no row, deleted, or no plan). */
function shareOf(row) {
  if (!row || row.deleted || row._status === 'deleted' || row.plan_id == null) return null;
  return { plan: row.plan_id, open: isOpen(row), due: dueDate(row) };
}

/** The changes to summaries of one transaction: note rows' before and after, then save once. */
export class SummaryChanges {
  constructor() {
    /** @type {Map<string, {items: number, open: number, due: Map<string, number>}>} */
    this.byPlan = new Map();
  }

  /**
   * A row of `table` changed from `before` to `after` (either may be missing: created, gone).
   * Rows of other tables are ignored, so callers need not ask.
   */
  note(table, before, after) {
    if (table !== SUMMARIZED_TABLE) return this;
    this._add(shareOf(before), -1);
    this._add(shareOf(after), 1);
    return this;
  }

  _add(share, sign) {
    if (!share) return;
    let delta = this.byPlan.get(share.plan);
    if (!delta) {
      delta = { items: 0, open: 0, due: new Map() };
      this.byPlan.set(share.plan, delta);
    }
    delta.items += sign;
    if (share.open) delta.open += sign;
    if (share.due) delta.due.set(share.due, (delta.due.get(share.due) ?? 0) + sign);
  }

  /**
   * Add the noted changes to the stored summaries (inside the caller's transaction over
   * `table`, the summaries' Dexie table). A plan left without rows loses its summary.
   */
  async save(table) {
    // A change that moved nothing (an edit of a row's text) writes nothing.
    const deltas = [...this.byPlan].filter(([, d]) => d.items || d.open || [...d.due.values()].some(Boolean));
    this.byPlan = new Map();
    if (!deltas.length) return;
    const stored = await table.bulkGet(deltas.map(([plan]) => plan));
    const puts = [];
    const gone = [];
    deltas.forEach(([plan, delta], i) => {
      const summary = stored[i] ?? { plan_id: plan, items: 0, open: 0, due: {} };
      const due = { ...summary.due };
      for (const [date, n] of delta.due) {
        const left = (due[date] ?? 0) + n;
        if (left) due[date] = left;
        else delete due[date];
      }
      const items = summary.items + delta.items;
      if (items) puts.push({ plan_id: plan, items, open: summary.open + delta.open, due });
      else gone.push(plan);
    });
    if (puts.length) await table.bulkPut(puts);
    if (gone.length) await table.bulkDelete(gone);
  }
}

/** Note one row's change and save it at once (a single local write). */
export function saveSummaryChange(db, table, before, after) {
  if (table !== SUMMARIZED_TABLE) return Promise.resolve();
  return new SummaryChanges().note(table, before, after).save(db.table(SUMMARY_TABLE));
}

/**
 * Build every summary again from the stored rows (in the caller's transaction over both
 * tables): the v11 upgrade, and a reset that dropped most rows at once.
 * @param {any} items    the plan items' Dexie table
 * @param {any} summaries  the summaries' Dexie table
 */
export async function rebuildSummaries(items, summaries) {
  const changes = new SummaryChanges();
  await items.each((row) => {
    changes.note(SUMMARIZED_TABLE, null, row);
  });
  await summaries.clear();
  await changes.save(summaries);
}

/**
 * A plan's counts on `today` (an ISO date) from its summary (none: a plan without rows).
 * @param {{items: number, open: number, due: Record<string, number>} | undefined} summary
 * @param {string} today
 */
export function statsOf(summary, today) {
  if (!summary) return { items: 0, open: 0, overdue: 0 };
  let overdue = 0;
  for (const [date, n] of Object.entries(summary.due)) if (date < today) overdue += n;
  return { items: summary.items, open: summary.open, overdue };
}
