// The device's copies of the quality follow-up's rules agree with the server's.
import {
  analyseCases,
  barChartSvg,
  buildYear,
  caseCodeProblem,
  chartLabel,
  checklistAnswerId,
  combine,
  compile,
  editedPoints,
  containsIdentityNumber,
  measureValueId,
  periodBounds,
  riskLevel,
  riskValue,
  suppressedGroups,
  yearFigure,
  yearRule,
} from "../../pwa/src/js/ui/quality_model.js";

test("a measure value id is the same UUIDv5 the server derives", async () => {
  // server.services.quality.measure_value_id(UUID('1111...'), UUID('2222...'), '2026-T1')
  const id = await measureValueId(
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "2026-T1",
  );
  expect(id).toBe("253aa572-9e47-58e5-b6b8-672a83f3be86");
});

test("a checklist answer id is the same UUIDv5 the server derives", async () => {
  // server.services.quality.checklist_answer_id(UUID('1111...'), UUID('2222...'))
  const id = await checklistAnswerId(
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
  );
  expect(id).toBe("b0c0d7b2-6176-55c3-833e-a52a89df32a4");
});

test("a risk value is probability times consequence, banded low, medium, high", () => {
  expect(riskValue(3, 4)).toBe(12);
  expect(riskValue("2", "2")).toBe(4);
  expect(riskValue(5, 1)).toBeNull();
  expect(riskValue(null, 3)).toBeNull();
  expect([1, 3, 4, 8, 9, 16].map(riskLevel)).toEqual([
    "low",
    "low",
    "medium",
    "medium",
    "high",
    "high",
  ]);
  expect(riskLevel(null)).toBeNull();
});

test("an edited checklist keeps the ids of points kept, moved or edited in place", () => {
  const old = [
    { id: "a", text: "Ett" },
    { id: "b", text: "Två" },
    { id: "c", text: "Tre" },
  ];
  let n = 0;
  const newId = () => `new-${++n}`;
  // "Två" edited in place, "Tre" moved up, "Ett" removed, a new point at the end.
  expect(editedPoints(old, ["Tre", "Två!", "Fyra"], newId)).toEqual([
    { id: "c", text: "Tre" },
    { id: "b", text: "Två!" },
    { id: "new-1", text: "Fyra" },
  ]);
  // A repeated line never gives two points one id: the second "Ett" replaces "Två" in place.
  expect(
    editedPoints(old, ["Ett", "Ett", "Ett"], newId).map((p) => p.id),
  ).toEqual(["a", "b", "c"]);
  expect(
    editedPoints(old, ["Ett", "Ett", "Tre", "Ett"], newId).map((p) => p.id),
  ).toEqual(["a", "b", "c", "new-2"]);
});

test("aggregation rules: sum, mean of reporting enheter, rate of summed parts", () => {
  expect(combine("sum", [{ value: 4 }, { value: 7 }, { value: null }])).toEqual(
    [11, null, null],
  );
  expect(
    combine("mean", [{ value: 12 }, { value: 30 }, { value: null }]),
  ).toEqual([21, null, null]);
  expect(
    combine("rate", [
      { numerator: 3, denominator: 4 },
      { numerator: 1, denominator: 6 },
    ]),
  ).toEqual([0.4, 4, 10]);
  expect(combine("rate", [{ numerator: null, denominator: 4 }])).toEqual([
    null,
    null,
    null,
  ]);
});

test("tertials and the compilation count like the server", () => {
  expect(periodBounds(2026, 1)).toEqual(["2026-01-01", "2026-04-30"]);
  expect(periodBounds(2026, 2)).toEqual(["2026-05-01", "2026-08-31"]);
  expect(periodBounds(2024, null)).toEqual(["2024-01-01", "2024-12-31"]);
  const cases = [
    {
      intervention: "Samtal",
      started_on: "2026-01-10",
      ended_on: "2026-03-15",
      gender: "female",
      needs: ["Boende"],
      end_reason: "planned",
    },
    {
      intervention: "Samtal",
      started_on: "2025-11-01",
      ended_on: "2026-02-01",
      end_reason: "interrupted",
    },
    {
      intervention: "ÖPP",
      started_on: "2026-04-01",
      ended_on: "2026-06-01",
      end_reason: "planned",
    },
    { intervention: "ÖPP", started_on: "2025-09-01", ended_on: "2025-12-20" },
    { intervention: "ÖPP", started_on: "2026-05-02" },
  ];
  const c = compile(cases, "2026-01-01", "2026-04-30");
  expect([c.cases, c.ended]).toEqual([3, 2]);
  expect(c.by_intervention).toEqual({ Samtal: 2, ÖPP: 1 });
  expect(c.by_gender).toEqual({ female: 1, unknown: 2 });
  expect(c.interrupted_by_intervention).toEqual({ Samtal: 1 });
});

test("pseudonymity: identity numbers and names are refused, codes pass", () => {
  for (const text of [
    "850709-1234",
    "198507091234",
    "850769-1234",
    "ring 0701234567",
  ]) {
    expect(containsIdentityNumber(text)).toBe(true);
  }
  for (const text of ["2026-03-01", "BJ-2026-014", "851309-1234"])
    expect(containsIdentityNumber(text)).toBe(false);
  expect(caseCodeProblem("BV-2026-14")).toBe(null);
  expect(caseCodeProblem("Anna")).toBe("format");
  expect(caseCodeProblem("850709-1234")).toBe("personnummer");
});

test("the chart is standalone SVG with escaped labels", () => {
  const svg = barChartSvg("Kön <test>", { "<b>": 2, Man: 1 });
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain("&lt;b&gt;");
  expect(svg).not.toContain("<b>");
  expect((svg.match(/<rect x="200"/g) || []).length).toBe(2);
});

describe("bar labels follow the server report's rule (tests/fixtures/chart_labels.json)", () => {
  test("cut to 40 characters, then escaped", async () => {
    const { default: fixture } = await import("../fixtures/chart_labels.json");
    for (const { label, drawn } of fixture.cases)
      expect(chartLabel(label)).toBe(drawn);
  });
});

describe("the year from its tertials, as server/services/quality_measures.py builds it", () => {
  test("sum, mean and last; rates add their parts", () => {
    const f = (...values) =>
      values.map((value) => (value == null ? null : { value }));
    expect(buildYear("sum", "sum", f(3, null, 5))).toEqual([
      [8, null, null],
      2,
    ]);
    expect(buildYear("mean", "sum", f(12, 12, 15))).toEqual([
      [13, null, null],
      3,
    ]);
    expect(buildYear("last", "sum", f(40, 35, null))).toEqual([
      [35, null, null],
      1,
    ]);
    expect(buildYear("sum", "sum", f(null, null, null))).toEqual([
      [null, null, null],
      0,
    ]);
    const rates = [
      { numerator: 3, denominator: 4 },
      null,
      { numerator: 1, denominator: 6 },
    ];
    expect(buildYear("sum", "rate", rates)).toEqual([[0.4, 4, 10], 2]);
    expect(yearRule({ kind: "structure" })).toBe("mean");
    expect(yearRule({ kind: "result" })).toBe("sum");
    expect(yearRule({ kind: "structure", year_rule: "last" })).toBe("last");
  });

  test("each enhet's year, entered or built, then combined", () => {
    const measure = { kind: "structure", aggregation: "sum" };
    const values = [
      { unit_id: "a", period: "2026-T1", value: 12 },
      { unit_id: "a", period: "2026-T2", value: 12 },
      { unit_id: "a", period: "2026-T3", value: 15 },
      { unit_id: "b", period: "2026", value: 8 },
      { unit_id: "b", period: "2026-T1", value: 100 },
    ];
    expect(yearFigure(measure, values, ["a", "b"], 2026)).toEqual({
      value: 21,
      built: 3,
    });
    expect(yearFigure(measure, values, ["b"], 2026)).toEqual({
      value: 8,
      built: null,
    });
  });
});

describe("the yearly analysis agrees with the server (tests/fixtures/quality_analysis.json)", () => {
  test("small groups are withheld, and one hidden group takes the smallest shown with it", () => {
    expect([...suppressedGroups({ a: 9, b: 7, c: 2 })].sort()).toEqual([
      "b",
      "c",
    ]);
    expect([...suppressedGroups({ a: 9, b: 7, c: 6 })]).toEqual([]);
    expect([...suppressedGroups({ a: 9, b: 0 })]).toEqual([]);
  });

  test("periods, groups and years as analyse_cases makes them", async () => {
    const { default: fixture } =
      await import("../fixtures/quality_analysis.json");
    expect(fixture.cases.length).toBeGreaterThan(1);
    for (const { records, year, years, expected } of fixture.cases) {
      expect(analyseCases(records, year, years)).toEqual(expected);
    }
  });
});
