// Which catalogue version a plan is written under (as server/services/catalogues.py picks
// it), and the template words per kind and variant from the one file the server reads too.
import {
  catalogueName,
  planCatalogue,
  versionInForce,
  versionsFor,
} from "../../pwa/src/js/ui/catalogue_model.js";
import {
  defaultVariant,
  layoutFor,
  variantsFor,
  withTemplateLabels,
} from "../../pwa/src/js/template_labels.js";
import templates from "../../server/catalogues/templates/plan_columns.json";

const CATALOGUES = [
  {
    id: "t25",
    code: "dk_tilbud",
    version_label: "2025",
    name: "Tilbud",
    valid_from: "2025-07-01",
    valid_to: null,
  },
  {
    id: "t14",
    code: "dk_tilbud",
    version_label: "2014",
    name: "Tilbud",
    valid_from: "2014-01-01",
    valid_to: "2025-06-30",
  },
  {
    id: "p14",
    code: "dk_plejefamilie",
    version_label: "2014",
    name: "Pleje",
    valid_from: "2014-01-01",
    valid_to: null,
  },
  {
    id: "old",
    code: "dk_tilbud",
    version_label: "2010",
    name: "Tilbud",
    valid_from: "2010-01-01",
    deleted: true,
  },
];

describe("the catalogue version of a plan", () => {
  test("the versions of the kind, oldest first, without withdrawn ones", () => {
    expect(versionsFor(CATALOGUES, "dk_tilbud").map((c) => c.id)).toEqual([
      "t14",
      "t25",
    ]);
  });

  test("the inspection date decides before the plan date (seed 000: inspected 22.3-2021)", () => {
    const chosen = planCatalogue(CATALOGUES, "dk_tilbud", {
      inspectionDate: "2021-03-22",
      planDate: "2026-12-03",
    });
    expect(chosen.id).toBe("t14");
    expect(
      planCatalogue(CATALOGUES, "dk_tilbud", { planDate: "2026-12-03" }).id,
    ).toBe("t25");
  });

  test("a chosen version wins, but only one of the kind", () => {
    expect(
      planCatalogue(CATALOGUES, "dk_tilbud", {
        catalogueId: "t14",
        planDate: "2026-12-03",
      }).id,
    ).toBe("t14");
    expect(
      planCatalogue(CATALOGUES, "dk_tilbud", { catalogueId: "p14" }),
    ).toBeNull();
  });

  test("no version before the first one", () => {
    expect(versionInForce(CATALOGUES, "dk_tilbud", "2013-12-31")).toBeNull();
    expect(catalogueName(CATALOGUES[1])).toBe("Tilbud (2014)");
  });
});

describe("the template words", () => {
  test("a tilbud plan has RESULTAT only; a foster family STATUS first, as the server defaults", () => {
    expect(variantsFor("dk_tilbud")).toEqual(["result"]);
    expect(variantsFor("dk_plejefamilie")).toEqual(["status", "result"]);
    expect(defaultVariant("dk_plejefamilie")).toBe(
      templates.kinds.dk_plejefamilie.default,
    );
    // A tilbud plan stored as "status" before the rule shows the tilbud template.
    expect(layoutFor({ kind: "dk_tilbud", result_label: "status" })).toBe(
      "tilbud_result",
    );
  });

  test("a foster-family STATUS plan reads seed 001's table, with no question under STATUS", () => {
    const { da } = withTemplateLabels({ da: {}, sv: {}, en: {} });
    const layout =
      da.template[
        layoutFor({ kind: "dk_plejefamilie", result_label: "status" })
      ];
    expect(layout.responsible.question).toBe(
      "Hvem er ansvarlig for opfølgning?",
    );
    expect(layout.result).toEqual({ heading: "STATUS", question: "" });
    const result =
      da.template[
        layoutFor({ kind: "dk_plejefamilie", result_label: "result" })
      ];
    expect(result.resources.question).toBe(
      "Hvilke ressourcer er til rådighed for at gennemføre tiltagene, fx tid?",
    );
  });

  test("the Swedish plan has one Danish name, the one the Word export prints", () => {
    const { da } = withTemplateLabels({ da: {}, sv: {}, en: {} });
    expect(da.kind.se_handlingsplan).toBe(templates.titles.da.se_handlingsplan);
    expect(da.kind.se_handlingsplan).toBe("Handlingsplan (Sverige)");
  });
});
