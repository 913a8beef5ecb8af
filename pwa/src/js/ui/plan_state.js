/**
 * The words for a plan's state. A foster family's plan needs no management approval (seed
 * 001): one the family put in force is "approved" with no approver, and reads "Gældende", not
 * "Godkendt af ledelsen". Pure, tested in tests/pwa/plan_state.test.js.
 */

/** The locale key of the plan's state label. */
export function planStateKey(plan) {
  const state = (plan && plan.state) || 'draft';
  if (state === 'approved' && plan.kind === 'dk_plejefamilie' && !plan.approved_by) return 'plan_state.in_force';
  return `plan_state.${state}`;
}
