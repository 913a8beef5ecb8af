import { planStateKey } from "../../pwa/src/js/ui/plan_state.js";

test('a foster-family plan in force without an approver reads "in force"', () => {
  expect(
    planStateKey({
      kind: "dk_plejefamilie",
      state: "approved",
      approved_by: null,
    }),
  ).toBe("plan_state.in_force");
});

test("an approved plan with an approver, and every other state, read as before", () => {
  expect(
    planStateKey({
      kind: "dk_plejefamilie",
      state: "approved",
      approved_by: "u1",
    }),
  ).toBe("plan_state.approved");
  expect(
    planStateKey({ kind: "dk_tilbud", state: "approved", approved_by: null }),
  ).toBe("plan_state.approved");
  expect(planStateKey({ kind: "dk_plejefamilie", state: "submitted" })).toBe(
    "plan_state.submitted",
  );
  expect(planStateKey({})).toBe("plan_state.draft");
});
