"""Seed 004's analysis and seed 003's structure measures (issue 18, points 4 and 5): a year built
from its tertials, outcomes by group of clients with small groups withheld, earlier years, and
measures set against a cost per unit."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from server.services.quality_analysis import analyse_cases
from server.services.quality_measures import UnitFigure, build_year
from server.services.quality_pseudonymity import MIN_GROUP, suppressed_groups
from tests.helpers import assert_error, login

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "quality_analysis.json"


# ---- pure rules --------------------------------------------------------------------------------


def figures(*values):
    return [None if v is None else UnitFigure(None, v) for v in values]


@pytest.mark.parametrize(
    ("rule", "tertials", "expected", "used"),
    [
        ("sum", (3, 4, 5), 12, 3),
        ("sum", (3, None, 5), 8, 2),  # two tertials: not a year, and it says so (used)
        ("mean", (12, 12, 15), 13, 3),
        ("mean", (12, None, 15), 13.5, 2),
        ("last", (40, 35, None), 35, 1),
        ("last", (None, None, None), None, 0),
    ],
)
def test_a_year_is_built_from_the_tertials_by_its_rule(rule, tertials, expected, used):
    (value, _n, _d), count = build_year(rule, "sum", figures(*tertials))
    assert (value, count) == (expected, used)


def test_a_rates_year_adds_its_tertials_numerators_and_denominators():
    tertials = [UnitFigure(None, None, 3, 4), None, UnitFigure(None, None, 1, 6)]
    assert build_year("sum", "rate", tertials) == ((0.4, 4, 10), 2)
    assert build_year("last", "rate", tertials) == ((None, 1, 6), 1)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 9, "b": 7, "c": 6}, set()),
        ({"a": 9, "b": 7, "c": 2}, {"c", "b"}),  # one hidden: the smallest shown goes too
        ({"a": 9, "b": 3, "c": 2}, {"b", "c"}),
        ({"a": 4}, {"a"}),
        ({"a": 9, "b": 0}, set()),  # no cases: no group
    ],
)
def test_small_groups_are_withheld_and_cannot_be_worked_out_from_the_total(counts, hidden):
    assert MIN_GROUP == 5
    assert suppressed_groups(counts) == hidden


def _case(**fields):
    from datetime import date

    values = {
        k: (date.fromisoformat(v) if k in ("started_on", "ended_on") and v else v)
        for k, v in fields.items()
    }
    return SimpleNamespace(**values)


@pytest.mark.parametrize("case", json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"])
def test_the_case_analysis_matches_the_fixture_the_pwa_is_held_to(case):
    """tests/pwa/quality_model.test.js checks the PWA's analyseCases against the same file."""
    records = [
        _case(
            **{
                k: c.get(k)
                for k in (
                    "intervention",
                    "age_band",
                    "gender",
                    "started_on",
                    "ended_on",
                    "end_reason",
                    "needs_met",
                    "situation_after",
                )
            }
        )
        for c in case["records"]
    ]
    result = analyse_cases(records, case["year"], case["years"])
    as_dicts = {
        "periods": [vars(p) for p in result.periods],
        "groups": [vars(g) for g in result.groups],
        "years": [vars(y) for y in result.years],
    }
    assert as_dicts == case["expected"]


# ---- over the API ------------------------------------------------------------------------------


@pytest.fixture
def org(client, factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    chef = factory.user(("manager", verksamhet))
    headers = login(client, chef)
    response = client.post(
        "/api/quality/defaults", json={"unit_id": str(verksamhet.id)}, headers=headers
    )
    assert response.status_code == 200, response.json
    measures = {
        m["name"]: m
        for m in client.get(f"/api/quality/measures?unit_id={verksamhet.id}", headers=headers).json
    }
    return SimpleNamespace(
        verksamhet=verksamhet,
        east=east,
        west=west,
        chef=headers,
        staff_east=login(client, factory.user(("staff", east))),
        stranger=login(client, factory.user(("manager", factory.unit(kind="se_verksamhet")))),
        measures=measures,
    )


def post(client, headers, path, body, status=201):
    response = client.post(f"/api/quality/{path}", json=body, headers=headers)
    assert response.status_code == status, response.json
    return response.json


def value(client, org, measure, unit, period, **figure):
    post(
        client,
        org.chef,
        "measure-values",
        {"measure_id": measure["id"], "unit_id": str(unit.id), "period": period, **figure},
    )


def analysis(client, org, unit=None, year=2026, years=3, headers=None):
    unit = unit or org.verksamhet
    response = client.get(
        f"/api/quality/analysis?unit_id={unit.id}&year={year}&years={years}",
        headers=headers or org.chef,
    )
    assert response.status_code == 200, response.json
    return response.json


def measure_years(result, name):
    return next(m for m in result["measures"] if m["name"] == name)["years"]


def test_the_year_of_a_measure_is_built_per_enhet_from_its_tertials_then_combined(client, org):
    places = org.measures["Antal platser"]  # structure, year rule mean
    count = org.measures["Antal genomförandeplaner som avslutats enligt plan"]  # sum
    for period, n in (("2026-T1", 12), ("2026-T2", 12), ("2026-T3", 15)):
        value(client, org, places, org.east, period, value=n)
    value(client, org, places, org.west, "2026", value=8)  # entered for the year: it stands
    for period, n in (("2026-T1", 3), ("2026-T2", 4)):
        value(client, org, count, org.east, period, value=n)

    result = analysis(client, org)
    year = measure_years(result, "Antal platser")[-1]
    assert (year["year"], year["value"], year["from_tertials"], year["tertials"]) == (
        2026,
        13 + 8,
        True,
        3,
    )
    assert (year["reported"], year["expected"]) == (2, 2)
    counted = measure_years(result, "Antal genomförandeplaner som avslutats enligt plan")[-1]
    assert (counted["value"], counted["tertials"]) == (7, 2)  # two tertials: said so
    # The enhet's own analysis has its own figure.
    own = measure_years(analysis(client, org, org.east), "Antal platser")[-1]
    assert (own["value"], own["from_tertials"]) == (13, True)

    # And the report's År column holds the same, marked as built from the tertials.
    page = client.get(
        f"/api/quality/report?unit_id={org.verksamhet.id}&year=2026", headers=org.chef
    ).get_data(as_text=True)
    row = page.split("<th>Mått</th>")[1].split("Antal platser")[1].split("</tr>")[0]
    assert "<td>21 *</td>" in row, row
    assert "7 * (2 av 3 tertial)" in page


def test_a_structure_measure_is_set_against_its_cost_per_unit_of_each_year(client, org):
    places = org.measures["Antal platser"]
    response = client.patch(
        f"/api/quality/measures/{places['id']}",
        json={"cost_label": "kr per plats och år", "costs": {"2025": 600000, "2026": 650000}},
        headers=org.chef,
    )
    assert response.status_code == 200, response.json
    assert response.json["costs"] == {"2025": 600000.0, "2026": 650000.0}
    value(client, org, places, org.east, "2025", value=10)
    value(client, org, places, org.east, "2026", value=12)

    years = measure_years(analysis(client, org, years=2), "Antal platser")
    assert [(y["year"], y["value"], y["cost_per_unit"], y["cost"]) for y in years] == [
        (2025, 10, 600000, 6_000_000),
        (2026, 12, 650000, 7_800_000),
    ]
    page = client.get(
        f"/api/quality/report?unit_id={org.verksamhet.id}&year=2026", headers=org.chef
    ).get_data(as_text=True)
    assert "Mått i relation till ekonomiska nyckeltal" in page
    assert "650\u00a0000 kr per plats och år" in page
    assert "7\u00a0800\u00a0000 kr" in page


def test_structure_measures_name_their_resource_from_seed_003(client, org):
    resources = {m["name"]: m["resource"] for m in org.measures.values()}
    assert {r for r in resources.values() if r} >= {
        "places",
        "staff",
        "competence",
        "premises",
        "queue",
    }
    hours = post(
        client,
        org.chef,
        "measures",
        {
            "unit_id": str(org.verksamhet.id),
            "name": "Insatstimmar",
            "kind": "structure",
            "resource": "hours",
            "year_rule": "sum",
            "unit_of_measure": "timmar",
        },
    )
    assert (hours["resource"], hours["year_rule"], hours["costs"]) == ("hours", "sum", {})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "result", "resource": "places"}, "resource"),
        ({"kind": "structure", "resource": "rooms"}, "resource"),
        ({"kind": "structure", "year_rule": "median"}, "year_rule"),
        ({"kind": "structure", "costs": {"next year": 5}}, "costs"),
        ({"kind": "structure", "costs": {"2026": -5}}, "costs"),
        ({"kind": "result", "aggregation": "rate", "costs": {"2026": 5}}, "costs"),
        ({"kind": "structure", "cost_label": "kr per 19850101-1234"}, "cost_label"),
    ],
)
def test_a_bad_resource_year_rule_or_key_figure_is_refused_naming_the_field(
    client, org, body, field
):
    response = client.post(
        "/api/quality/measures",
        json={"unit_id": str(org.verksamhet.id), "name": "Mått", **body},
        headers=org.chef,
    )
    assert_error(response, 422, "invalid_input", field)


def test_a_measure_cannot_stop_being_structure_while_it_names_a_resource(client, org):
    places = org.measures["Antal platser"]
    response = client.patch(
        f"/api/quality/measures/{places['id']}", json={"kind": "result"}, headers=org.chef
    )
    assert_error(response, 422, "invalid_input", "resource")


def case(client, org, unit, code, **fields):
    body = {
        "unit_id": str(unit.id),
        "case_code": code,
        "intervention": "Samtalsstöd",
        "started_on": "2026-01-10",
        **fields,
    }
    return post(client, org.staff_east if unit == org.east else org.chef, "cases", body)


def test_outcomes_are_split_by_group_of_clients_and_small_groups_are_withheld(client, org):
    # Six women ended in T1 (four according to plan), two men ended in T2 (both interrupted).
    for n in range(6):
        case(
            client,
            org,
            org.east,
            f"K-{n}",
            gender="female",
            age_band="30-49",
            ended_on="2026-03-01",
            end_reason="planned" if n < 4 else "interrupted",
            needs_met="yes" if n < 3 else "partly",
            situation_after="improved",
        )
    for n in range(2):
        case(
            client,
            org,
            org.east,
            f"M-{n}",
            gender="male",
            age_band="30-49",
            intervention="Föräldrastöd",
            started_on="2026-02-01",
            ended_on="2026-06-01",
            end_reason="interrupted",
        )
    # Five whose gender and age are not recorded, in the autumn.
    for n in range(5):
        case(
            client,
            org,
            org.west,
            f"U-{n}",
            started_on="2026-09-01",
            ended_on="2026-10-01",
            end_reason="planned",
        )
    result = analysis(client, org)["cases"]
    assert result["min_group"] == 5
    periods = {p["period"]: p for p in result["periods"]}
    assert (periods["T1"]["cases"], periods["T1"]["ended"], periods["T1"]["planned"]) == (8, 6, 4)
    assert (periods["T2"]["cases"], periods["T2"]["ended"]) == (2, 2)
    assert (periods["T3"]["cases"], periods["T3"]["ended"]) == (5, 5)
    assert (periods["year"]["cases"], periods["year"]["ended"]) == (13, 13)
    assert periods["year"]["interrupted"] == 4
    groups = {(g["dimension"], g["group"]): g for g in result["groups"]}
    women = groups[("gender", "female")]
    assert (women["withheld"], women["ended"], women["planned"], women["needs_met"]) == (
        False,
        6,
        4,
        3,
    )
    men = groups[("gender", "male")]
    assert (men["withheld"], men["ended"], men["planned"], men["interrupted"]) == (
        True,
        None,
        None,
        None,
    )
    # One gender hidden, so the smallest shown goes too (13 - 6 would give the men away).
    assert groups[("gender", "unknown")]["withheld"]
    # Likewise by intervention: 13 - 11 = 2.
    assert groups[("intervention", "Föräldrastöd")]["withheld"]
    assert groups[("intervention", "Samtalsstöd")]["withheld"]
    assert (groups[("age_band", "30-49")]["ended"], groups[("age_band", "unknown")]["ended"]) == (
        8,
        5,
    )

    # The report shows the groups, never the small one, and no case code.
    page = client.get(
        f"/api/quality/report?unit_id={org.verksamhet.id}&year=2026", headers=org.chef
    ).get_data(as_text=True)
    assert "Analys: skiljer sig resultaten mellan grupper av klienter?" in page
    assert "<td>Kvinna</td><td>6</td><td>4 (67\u00a0%)</td>" in page
    assert "<td>Man</td><td>färre än 5, visas inte</td>" in page
    assert "K-1" not in page and "M-1" not in page


def test_outcomes_are_compared_with_earlier_years(client, org):
    case(
        client,
        org,
        org.east,
        "A-1",
        started_on="2024-02-01",
        ended_on="2024-05-01",
        end_reason="planned",
    )
    case(
        client,
        org,
        org.east,
        "A-2",
        started_on="2025-02-01",
        ended_on="2025-05-01",
        end_reason="interrupted",
    )
    case(client, org, org.east, "A-3", started_on="2025-11-01")  # runs into 2026
    years = analysis(client, org, years=3)["cases"]["years"]
    assert [(y["year"], y["cases"], y["ended"], y["planned"]) for y in years] == [
        (2024, 1, 1, 1),
        (2025, 2, 1, 0),
        (2026, 1, 0, 0),
    ]


def test_the_analysis_is_read_by_role_and_unit(client, org):
    response = client.get(
        f"/api/quality/analysis?unit_id={org.verksamhet.id}&year=2026", headers=org.stranger
    )
    assert_error(response, 404, "not_found")
    # Staff of an enhet read their enhet's analysis, not the verksamhet's.
    analysis(client, org, org.east, headers=org.staff_east)
    response = client.get(
        f"/api/quality/analysis?unit_id={org.verksamhet.id}&year=2026", headers=org.staff_east
    )
    assert_error(response, 404, "not_found")
    response = client.get(
        f"/api/quality/analysis?unit_id={org.east.id}&year=2026&years=40", headers=org.chef
    )
    assert_error(response, 422, "invalid_input", "years")


def test_the_docx_report_reads_back_with_the_analysis_tables_charts_and_built_year(client, org):
    import io

    from docx import Document
    from PIL import Image

    from tests.helpers import docx_pictures

    places = org.measures["Antal platser"]
    for period, n in (("2026-T1", 12), ("2026-T2", 12), ("2026-T3", 15)):
        value(client, org, places, org.east, period, value=n)
    for n in range(6):
        case(
            client,
            org,
            org.east,
            f"K-{n}",
            gender="female",
            ended_on="2026-03-01",
            end_reason="planned" if n < 3 else "interrupted",
        )
    for n in range(6):
        case(
            client,
            org,
            org.east,
            f"M-{n}",
            gender="male",
            ended_on="2026-07-01",
            end_reason="planned",
        )
    response = client.get(
        f"/api/quality/report?unit_id={org.verksamhet.id}&year=2026&format=docx",
        headers=org.chef,
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Analys: skiljer sig resultaten mellan grupper av klienter?" in text
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    by_gender = [[c.text for c in row.cells] for row in tables["Kön"].rows]
    assert by_gender[1][:3] == ["Kvinna", "6", "3 (50\u00a0%)"]
    assert by_gender[2][:3] == ["Man", "6", "6 (100\u00a0%)"]
    periods = [[c.text for c in row.cells] for row in tables["Period"].rows]
    assert [r[0] for r in periods[1:]] == [
        "Tertial 1 (jan–apr)",
        "Tertial 2 (maj–aug)",
        "Tertial 3 (sep–dec)",
        "Helår",
    ]
    assert periods[4][1:3] == ["12", "12"]
    # The År column of the measures is built from the tertials (mean of 12, 12, 15), marked.
    measures = next(t for t in document.tables if t.rows[0].cells[0].text == "Mått")
    row = next(r for r in measures.rows if r.cells[0].text == "Antal platser")
    assert [c.text for c in row.cells][-4:] == ["12", "12", "15", "13 *"]
    pictures = {alt: blob for _type, blob, alt in docx_pictures(document)}
    for title in (
        "Stapeldiagram: Andel avslutade enligt plan per år (%)",
        "Stapeldiagram: Andel avslutade enligt plan per kön (%)",
    ):
        image = Image.open(io.BytesIO(pictures[title]))
        assert image.format == "PNG" and image.width > 500
    chart_table = next(
        t
        for t in document.tables
        if t.rows[0].cells[1].text == "Procent" and t.rows[1].cells[0].text == "Kvinna"
    )
    assert [[c.text for c in r.cells] for r in chart_table.rows[1:]] == [
        ["Kvinna", "50"],
        ["Man", "100"],
    ]
