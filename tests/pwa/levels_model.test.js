// The device's copies of the follow-up levels' rules agree with the server's
// (server/services/quality.py, server/services/quality_levels.py).
import {
  assessmentBasis,
  inYear,
  overallAssessmentId,
  thematicResultId,
  unitsBelow,
} from "../../pwa/src/js/ui/quality/levels_model.js";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

test("the derived ids are the UUIDv5s the server derives", async () => {
  // server.services.quality.thematic_result_id(UUID(A), UUID(B)), overall_assessment_id(UUID(B), 2026)
  expect(await thematicResultId(A, B)).toBe(
    "e9732e1f-21d9-5590-98fa-e7692a8ad883",
  );
  expect(await overallAssessmentId(B, 2026)).toBe(
    "ea33f2e1-1059-5465-aa62-331baf84ed2d",
  );
});

test("a follow-up belongs to the year it was done in, else the year it is planned for", () => {
  expect(
    inYear({ done_on: "2026-09-20", planned_on: "2025-12-01" }, 2026),
  ).toBe(true);
  expect(inYear({ done_on: null, planned_on: "2026-09-15" }, 2026)).toBe(true);
  expect(
    inYear({ done_on: "2027-01-02", planned_on: "2026-12-20" }, 2026),
  ).toBe(false);
  expect(inYear({ done_on: null, planned_on: null }, 2026)).toBe(false);
});

test("the units of an area are the unit and every unit below it", () => {
  const units = new Map(
    [
      { id: "v", parent_id: null },
      { id: "e1", parent_id: "v" },
      { id: "e2", parent_id: "v" },
      { id: "x", parent_id: "e2" },
      { id: "other", parent_id: null },
    ].map((u) => [u.id, u]),
  );
  expect([...unitsBelow(units, "v")].sort()).toEqual(["e1", "e2", "v", "x"]);
  expect([...unitsBelow(units, "e1")]).toEqual(["e1"]);
});

// The same year as tests/server/test_quality_levels_api.py
// test_the_overall_assessment_is_one_per_year_and_drawn_from_the_levels, with the same figures.
test("the basis of the sammanvägd bedömning counts each level as the server does", () => {
  const east = "east";
  const west = "west";
  const basis = assessmentBasis({
    year: 2026,
    unitIds: new Set(["v", east, west]),
    ownerIds: new Set(["v", east, west]),
    cases: [
      {
        unit_id: east,
        intervention: "Hemtjänst",
        started_on: "2026-02-01",
        ended_on: "2026-06-30",
        end_reason: "planned",
        needs_met: "yes",
      },
    ],
    followUps: [
      {
        id: "f1",
        unit_id: east,
        provider_kind: "private",
        planned_on: "2026-09-15",
        done_on: "2026-09-20",
        outcome: "partly_met",
      },
      {
        id: "f2",
        unit_id: west,
        provider_kind: "private",
        planned_on: "2027-03-01",
      },
      {
        id: "f3",
        unit_id: west,
        provider_kind: "own",
        planned_on: "2026-09-15",
      },
      {
        id: "f4",
        unit_id: west,
        provider_kind: "own",
        planned_on: "2026-01-01",
        deleted: true,
      },
    ],
    deviations: [
      { id: "d1", follow_up_id: "f1" },
      { id: "d2", follow_up_id: "f1" },
      { id: "d3", follow_up_id: "f2" },
    ],
    links: [{ source_id: "d1" }, { source_id: "d3" }],
    themes: [
      {
        id: "t1",
        unit_id: "v",
        theme: "Måltider",
        scope_unit_ids: [east, west],
        planned_on: "2026-10-01",
        done_on: "2026-10-20",
      },
    ],
    results: [
      { follow_up_id: "t1", unit_id: east, outcome: "met" },
      { follow_up_id: "t1", unit_id: west, outcome: "not_met" },
    ],
  });
  expect(basis.individual).toEqual({
    cases: 1,
    ended: 1,
    by_end_reason: { planned: 1 },
    by_needs_met: { yes: 1 },
  });
  expect(basis.assignment).toEqual({
    follow_ups: 2,
    done: 1,
    by_outcome: { partly_met: 1 },
    by_provider_kind: { private: 1, own: 1 },
    deviations: 2,
    deviations_with_action: 1,
  });
  expect(basis.thematic).toEqual({
    follow_ups: 1,
    done: 1,
    by_outcome: { met: 1, not_met: 1 },
    themes: [
      {
        follow_up_id: "t1",
        theme: "Måltider",
        done_on: "2026-10-20",
        units: 2,
        answered: 2,
        by_outcome: { met: 1, not_met: 1 },
      },
    ],
  });
});

test("a unit reads only the results of its own area, and a result outside the scope does not count", () => {
  const basis = assessmentBasis({
    year: 2026,
    unitIds: new Set(["east"]),
    ownerIds: new Set(["east", "v"]),
    cases: [],
    followUps: [],
    deviations: [],
    links: [],
    themes: [
      {
        id: "t1",
        unit_id: "v",
        theme: "Barnkonventionen",
        scope_unit_ids: ["east", "west"],
        planned_on: "2026-03-01",
      },
    ],
    results: [
      { follow_up_id: "t1", unit_id: "east", outcome: "partly_met" },
      { follow_up_id: "t1", unit_id: "west", outcome: "met" },
      { follow_up_id: "t1", unit_id: "gone", outcome: "met" },
    ],
  });
  expect(basis.thematic.by_outcome).toEqual({ partly_met: 1 });
  expect(basis.thematic.themes[0]).toMatchObject({
    units: 2,
    answered: 1,
    done_on: null,
  });
});
