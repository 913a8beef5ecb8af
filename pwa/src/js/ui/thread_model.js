/**
 * The dialogue on a plan as pure rules (server/services/messages.py is the judge when a message
 * is pushed): who may write, which side a message is from, the threads of a plan, and how an
 * author and a date are shown.
 *
 *   mayWrite     staff, managers and inspectors of the unit, while the plan is not archived
 *                (an admin reads no plans, so writes no message)
 *   sideOf       "inspectorate" for an inspector of the unit, else "provider"
 *   threadsOf    a plan's messages split into its own thread and each row's, oldest first
 *   authorLabel  "Tilsynsførende Karin Dahl" for the inspectorate, the name for the provider
 *   messageDate  day and month, with the year only when it is not this year's
 */

// server/models/plans.py MESSAGE_TEXT.
export const MESSAGE_TEXT = 4000;

const WRITERS = ['staff', 'manager', 'foster_parent', 'inspector'];

/** @param {Set<string>} roles the user's roles in the plan's unit */
export function mayWrite(roles, planState) {
  return planState !== 'archived' && WRITERS.some((r) => roles.has(r));
}

/** @param {Set<string>} roles */
export function sideOf(roles) {
  return roles.has('inspector') ? 'inspectorate' : 'provider';
}

const byTime = (a, b) =>
  String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id));

/**
 * @param {Array<{id: string, item_id?: string | null, created_at: string, deleted?: boolean}>} messages
 * @returns {{plan: any[], byItem: Map<string, any[]>}}
 */
export function threadsOf(messages) {
  const plan = [];
  const byItem = new Map();
  for (const m of [...messages].filter((m) => !m.deleted).sort(byTime)) {
    if (!m.item_id) plan.push(m);
    else {
      if (!byItem.has(m.item_id)) byItem.set(m.item_id, []);
      byItem.get(m.item_id).push(m);
    }
  }
  return { plan, byItem };
}

export function authorLabel(message, name, inspectorWord) {
  return message.side === 'inspectorate' ? `${inspectorWord} ${name}` : name;
}

/** @param {string} iso @param {Date} now @param {string} localeTag e.g. "da-DK" */
export function messageDate(iso, now, localeTag) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (d.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return d.toLocaleString(localeTag, options);
}
