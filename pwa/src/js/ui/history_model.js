/**
 * The plan's change history as the history screen shows it: pure functions, no DOM, no store.
 *
 * The events are the server's (`GET /api/plans/{id}/history`): oldest first, each with
 * `changes` as `{field: [before, after]}` and `after_approval` set by the server (a change made
 * while the plan was approved, completed or archived). Bookkeeping fields (the row's plan, unit,
 * ids) are not shown: they say nothing a reader can act on.
 */

const HIDDEN_FIELDS = new Set(['plan_id', 'unit_id', 'item_id', 'catalogue_id', 'finding_id', 'author_id', 'kind']);

/** Who, what and when of one event, with the changed fields a person reads. */
export function historyEntry(event) {
  const changes = Object.entries(event.changes || {})
    .filter(([field]) => !HIDDEN_FIELDS.has(field))
    .map(([field, pair]) => ({ field, before: pair?.[0] ?? null, after: pair?.[1] ?? null }));
  return {
    at: event.at,
    who: event.user_name || null,
    table: event.table_name,
    action: event.action,
    afterApproval: Boolean(event.after_approval),
    via: event.via,
    changes,
  };
}

/** The events to show, newest first (what changed lately is what a reader looks for). */
export function historyEntries(events) {
  return (events || []).map(historyEntry).reverse();
}

export function changesAfterApproval(events) {
  return (events || []).filter((e) => e.after_approval).length;
}

/** A changed value as text: names for HVEM? lists, the rest as it is; `names(userId)` names a user. */
export function valueText(value, names) {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) {
    return value
      .map((r) => (r && typeof r === 'object' ? r.name || (r.user_id ? names(r.user_id) : '') : String(r)))
      .filter(Boolean)
      .join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Whether to show the history from the device: when offline, or when fetching it failed. */
export function fromDevice(online, fetchError) {
  return !online || Boolean(fetchError);
}
