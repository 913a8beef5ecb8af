/**
 * The follow-up levels of seed 003 on the device, pure, so the screen works offline. Each mirrors
 * the server (which stays the judge when the rows are pushed):
 *
 *   thematicResultId    server/services/quality.py thematic_result_id (UUIDv5 of follow-up, unit)
 *   overallAssessmentId server/services/quality.py overall_assessment_id (UUIDv5 of unit, year)
 *   inYear              server/services/quality_levels.py in_year
 *   assessmentBasis     server/services/quality_levels.py assessment_basis: what the sammanvägd
 *                       bedömning of a year is drawn from, level by level
 */
import { compile, periodBounds, uuidv5 } from '../quality_model.js';

export const LEVELS_NAMESPACE = '0d3c5a61-7f4e-4b8e-8f5d-2a9c1e6b7d40';
export const SUBJECT_KINDS = ['assignment', 'contract'];
export const PROVIDER_KINDS = ['own', 'private', 'non_profit'];
export const OUTCOMES = ['met', 'partly_met', 'not_met'];
/** Kinds of utförare that must be named (server: RequiredWhen on provider_name). */
export const NAMED_PROVIDERS = new Set(['private', 'non_profit']);

export function thematicResultId(followUpId, unitId) {
  return uuidv5(LEVELS_NAMESPACE, `thematic/${followUpId}/${unitId}`);
}

export function overallAssessmentId(unitId, year) {
  return uuidv5(LEVELS_NAMESPACE, `overall/${unitId}/${year}`);
}

/** A follow-up belongs to the year it was done in, or, not done yet, the year it is planned for. */
export function inYear(row, year) {
  const day = row.done_on || row.planned_on;
  return Boolean(day) && Number(String(day).slice(0, 4)) === Number(year);
}

function count(rows, key) {
  const out = {};
  for (const r of rows) if (r[key]) out[r[key]] = (out[r[key]] || 0) + 1;
  return out;
}

/**
 * The figures of each level for a year. `unitIds`: the units of the area (the unit and those
 * below it) this device holds; `ownerIds`: those whose thematic follow-ups count (the area and
 * the verksamhet above an enhet). Rows are the store's (deleted ones are skipped).
 */
export function assessmentBasis({ year, unitIds, ownerIds, cases, followUps, deviations, links, themes, results }) {
  const alive = (rows) => rows.filter((r) => !r.deleted);
  const [start, end] = periodBounds(Number(year), null);
  const total = compile(
    alive(cases).filter((c) => unitIds.has(c.unit_id)),
    start,
    end,
  );
  const ours = alive(followUps).filter((f) => unitIds.has(f.unit_id) && inYear(f, year));
  const ids = new Set(ours.map((f) => f.id));
  const found = alive(deviations).filter((d) => ids.has(d.follow_up_id));
  const answered = new Set(alive(links).map((l) => l.source_id));
  const done = ours.filter((f) => f.done_on);
  const theirs = alive(themes).filter((t) => ownerIds.has(t.unit_id) && inYear(t, year));
  const byOutcome = {};
  const perTheme = theirs.map((theme) => {
    const scope = new Set(theme.scope_unit_ids || []);
    const inScope = alive(results).filter(
      (r) => r.follow_up_id === theme.id && scope.has(r.unit_id) && unitIds.has(r.unit_id),
    );
    const outcomes = count(inScope, 'outcome');
    for (const [k, n] of Object.entries(outcomes)) byOutcome[k] = (byOutcome[k] || 0) + n;
    return {
      follow_up_id: theme.id,
      theme: theme.theme,
      done_on: theme.done_on || null,
      units: scope.size,
      answered: inScope.filter((r) => r.outcome).length,
      by_outcome: outcomes,
    };
  });
  return {
    year: Number(year),
    individual: {
      cases: total.cases,
      ended: total.ended,
      by_end_reason: total.by_end_reason,
      by_needs_met: total.by_needs_met,
    },
    assignment: {
      follow_ups: ours.length,
      done: done.length,
      by_outcome: count(done, 'outcome'),
      by_provider_kind: count(ours, 'provider_kind'),
      deviations: found.length,
      deviations_with_action: found.filter((d) => answered.has(d.id)).length,
    },
    thematic: {
      follow_ups: theirs.length,
      done: theirs.filter((t) => t.done_on).length,
      by_outcome: byOutcome,
      themes: perTheme,
    },
  };
}

/** The ids of a unit and every unit below it that `units` (a Map of id -> unit) holds. */
export function unitsBelow(units, unitId) {
  const found = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units.values()) {
      if (!found.has(u.id) && found.has(u.parent_id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return found;
}
