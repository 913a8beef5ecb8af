/**
 * Egenkontroll's rules on the device, apart from its drawing (selfinspection.js), so that they
 * are unit-tested: the checklist areas and answers, when adding the default checklists would
 * add anything, and on which units a run is started.
 */
export const CHECKLIST_AREAS = ['log_review', 'documentation', 'fire_safety', 'basic_hygiene', 'other'];
export const CHECK_ANSWERS = ['ok', 'deviation', 'not_applicable'];
// The areas of the server's default checklists (server/catalogues/defaults/se_egenkontroll.json).
export const DEFAULT_AREAS = ['log_review', 'documentation', 'fire_safety', 'basic_hygiene'];

/**
 * Whether adding the defaults would add anything: the server (quality_selfinspection.py) adds
 * an area the unit's lists lack, and of an enhet its verksamhet's lists too (it runs them).
 */
export function defaultsMissing(checklists, unit) {
  const owners = new Set([unit.id, unit.kind === 'se_enhet' ? unit.parent_id : null]);
  const have = new Set(checklists.filter((c) => owners.has(c.unit_id) && !c.deleted).map((c) => c.area));
  return DEFAULT_AREAS.some((a) => !have.has(a));
}

/**
 * The units an egenkontroll is started on from this screen. Seed 003, Del 3: "Rutin och
 * genomförande på Nivå 3, följs upp och analyseras i nivå 2", so on a verksamhet with enheter
 * these are its enheter (the server refuses a new run on the verksamhet itself); else the unit.
 */
export function runUnits(ctx, canEdit) {
  const { unit, enheter } = ctx;
  const units = unit.kind === 'se_verksamhet' && enheter.length ? enheter : [unit];
  return units.filter((u) => canEdit(u.id));
}
