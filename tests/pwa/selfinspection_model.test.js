// Egenkontroll on the device agrees with the server: which units a run is started on (seed 003,
// Del 3: "Rutin och genomförande på Nivå 3"; server/services/quality.py refuses a new run on a
// verksamhet with enheter) and when adding the default checklists would add anything
// (server/services/quality_selfinspection.py adds the areas the unit's own lists lack).
import { readFileSync } from "node:fs";
import {
  DEFAULT_AREAS,
  defaultsMissing,
  runUnits,
} from "../../pwa/src/js/ui/quality/selfinspection_model.js";

const verksamhet = { id: "v", kind: "se_verksamhet", parent_id: null };
const east = { id: "e", kind: "se_enhet", parent_id: "v" };
const west = { id: "w", kind: "se_enhet", parent_id: "v" };
const all = () => true;

test("the default areas are those of the server's default checklists", () => {
  const file = new URL(
    "../../server/catalogues/defaults/se_egenkontroll.json",
    import.meta.url,
  );
  const areas = JSON.parse(readFileSync(file, "utf-8")).checklists.map(
    (c) => c.area,
  );
  expect([...DEFAULT_AREAS].sort()).toEqual([...areas].sort());
});

test("on a verksamhet with enheter a run is started on an enhet, never the verksamhet", () => {
  const ctx = { unit: verksamhet, enheter: [east, west] };
  expect(runUnits(ctx, all).map((u) => u.id)).toEqual(["e", "w"]);
  // Only the enheter the user may write in.
  expect(runUnits(ctx, (id) => id === "w").map((u) => u.id)).toEqual(["w"]);
  expect(runUnits(ctx, (id) => id === "v")).toEqual([]);
});

test("an enhet, or a verksamhet without enheter, runs its own", () => {
  expect(runUnits({ unit: east, enheter: [east] }, all)).toEqual([east]);
  expect(runUnits({ unit: verksamhet, enheter: [] }, all)).toEqual([
    verksamhet,
  ]);
  expect(runUnits({ unit: east, enheter: [east] }, () => false)).toEqual([]);
});

test("the defaults are offered while one of the unit's four areas is missing", () => {
  const list = (unit_id, area, extra = {}) => ({ unit_id, area, ...extra });
  const four = DEFAULT_AREAS.map((a) => list("v", a));
  expect(defaultsMissing([], verksamhet)).toBe(true);
  expect(defaultsMissing(four, verksamhet)).toBe(false);
  // An inactive list still counts (the server adds none for its area); a deleted one does not.
  expect(
    defaultsMissing(
      [...four.slice(1), list("v", "log_review", { active: false })],
      verksamhet,
    ),
  ).toBe(false);
  expect(
    defaultsMissing(
      [...four.slice(1), list("v", "log_review", { deleted: true })],
      verksamhet,
    ),
  ).toBe(true);
  // Another unit's lists and an "other" list do not count.
  expect(
    defaultsMissing([...four.slice(1), list("e", "log_review")], verksamhet),
  ).toBe(true);
  expect(
    defaultsMissing([...four.slice(1), list("v", "other")], verksamhet),
  ).toBe(true);
});

test("of an enhet, its verksamhet's lists count too (it runs them)", () => {
  const four = DEFAULT_AREAS.map((a) => ({ unit_id: "v", area: a }));
  expect(defaultsMissing(four, east)).toBe(false);
  const three = four.slice(1);
  expect(defaultsMissing(three, east)).toBe(true);
  expect(
    defaultsMissing([...three, { unit_id: "e", area: "log_review" }], east),
  ).toBe(false);
  // Another enhet's own list is not this one's.
  expect(
    defaultsMissing([...three, { unit_id: "w", area: "log_review" }], east),
  ).toBe(true);
});
