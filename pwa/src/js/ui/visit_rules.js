/**
 * The inspection rules the device checks itself, so an inspector hears them offline at once.
 * Each mirrors server/services/visits.py (which stays the judge when the rows are pushed); each
 * answers with a locale key (the problem) or null (allowed):
 *
 *   catalogueInForce    catalogue_for_unit: the catalogue version a visit on a date is assessed by
 *   findingProblem      _check_finding: påbud → deadline, not before the visit; rating → written
 *                       justification, only on a scored theme; some text
 *   visitDateProblem    update_visit: a new date may not switch catalogue under live findings;
 *                       stricter than the server: not after a påbud's deadline either (else every
 *                       later edit of that påbud would be refused)
 *   findingDeleteProblem / visitDeleteProblem
 *                       delete_finding / delete_visit: not while a plan item answers a finding
 *   rejectionsForVisit  the server's refusals (the store's refused drafts) that concern one visit
 */

// The catalogue a unit is assessed by: server PLAN_KIND_FOR_UNIT, then CATALOGUE_FOR_PLAN_KIND.
export const CATALOGUE_FOR_UNIT = {
  dk_tilbud: 'dk_tilbud',
  dk_afdeling: 'dk_tilbud',
  dk_plejefamilie: 'dk_plejefamilie',
  se_verksamhet: 'se_kvalitetsomraden',
  se_enhet: 'se_kvalitetsomraden',
};

// server/schemas/visits.py: Text(LONG_TEXT) for a finding's text, justification and notes.
export const LONG_TEXT = 10000;

/** The catalogue version in force on `date` for a unit of `unitKind` (null if none). */
export function catalogueInForce(catalogues, unitKind, date) {
  const code = CATALOGUE_FOR_UNIT[unitKind];
  const inForce = catalogues
    .filter((c) => c.code === code && !c.deleted && c.valid_from <= date && (!c.valid_to || date <= c.valid_to))
    .sort((a, b) => String(b.valid_from).localeCompare(String(a.valid_from)));
  return inForce[0] || null;
}

/** A finding as it would be stored (create, or an edit merged over the current row). */
export function findingProblem(values, { visitDate, theme }) {
  const text = values.text ?? '';
  if (!text.trim()) return 'findings.need_text';
  if (text.length > LONG_TEXT || (values.rating_justification ?? '').length > LONG_TEXT) return 'findings.too_long';
  if (!theme) return 'findings.need_theme';
  if (values.kind === 'paabud' && !values.deadline) return 'findings.need_deadline';
  // The server refuses this for a påbud; the device has always refused it for any deadline.
  if (values.deadline && values.deadline < visitDate) return 'findings.deadline_before_visit';
  if (values.rating != null) {
    if (theme.scored === false) return 'findings.not_scored';
    if (!(values.rating_justification ?? '').trim()) return 'findings.need_justification';
  }
  return null;
}

/**
 * Moving a visit to `newDate`. `currentCatalogueId` is the visit's catalogue (for a visit the
 * server has not answered yet: the one in force on its current date). Answers
 * `{ problem, catalogueId }`, the catalogue the visit will be assessed by on the new date.
 */
export function visitDateProblem({ newDate, currentCatalogueId, catalogues, unitKind, findings }) {
  if (!newDate) return { problem: 'visits.need_date', catalogueId: null };
  const catalogue = catalogueInForce(catalogues, unitKind, newDate);
  // Offline without the catalogues (never synced) the device cannot tell: the server decides.
  if (!catalogue) return { problem: catalogues.length ? 'visits.no_catalogue' : null, catalogueId: currentCatalogueId };
  if (currentCatalogueId && catalogue.id !== currentCatalogueId && findings.length) {
    return { problem: 'visits.other_catalogue', catalogueId: currentCatalogueId };
  }
  if (findings.some((f) => f.kind === 'paabud' && f.deadline && f.deadline < newDate)) {
    return { problem: 'visits.after_deadline', catalogueId: catalogue.id };
  }
  return { problem: null, catalogueId: catalogue.id };
}

/** `items`: the live plan items answering the finding. */
export function findingDeleteProblem(items) {
  return items.length ? 'findings.cannot_delete' : null;
}

/** `itemsByFinding`: finding id → the live plan items answering it. */
export function visitDeleteProblem(findings, itemsByFinding) {
  return findings.some((f) => (itemsByFinding.get(f.id) || []).length) ? 'visits.cannot_delete' : null;
}

/** The refusals not yet acknowledged that concern this visit, its findings or its photos. */
export function rejectionsForVisit(rejections, visitId, rowIds) {
  return rejections.filter(
    (r) =>
      !r.seen &&
      ['visits', 'findings', 'visit_photos'].includes(r.table) &&
      (r.id === visitId ||
        rowIds.has(r.id) ||
        (r.fields && r.fields.visit_id === visitId) ||
        (r.context && r.context.visit_id === visitId)),
  );
}
