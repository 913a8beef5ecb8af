"""Measures: the aggregation rules by hand-computed examples, values over REST, CSV import."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import MeasureValue
from server.services.quality import measure_value_id
from server.services.quality_measures import UnitFigure, combine
from tests.helpers import assert_error, login

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


# ---- the rules, by hand ----------------------------------------------------------------------


def test_sum_adds_the_enheters_values():
    figures = [UnitFigure(A, value=4), UnitFigure(B, value=7), UnitFigure(C, value=0)]
    assert combine("sum", figures) == (11, None, None)


def test_mean_counts_each_reporting_enhet_once():
    # (12 + 30) / 2 = 21; C did not report and is not taken as zero.
    figures = [UnitFigure(A, value=12), UnitFigure(B, value=30), UnitFigure(C)]
    assert combine("mean", figures) == (21, None, None)


def test_rate_divides_summed_numerators_by_summed_denominators_not_the_mean_of_rates():
    # A: 3 of 4 (0.75), B: 1 of 6 (0.1667). The uppdrag: 4 of 10 = 0.4, not 0.4583.
    figures = [
        UnitFigure(A, numerator=3, denominator=4),
        UnitFigure(B, numerator=1, denominator=6),
        UnitFigure(C, numerator=None, denominator=5),  # half a report counts for nothing
    ]
    assert combine("rate", figures) == (0.4, 4, 10)


def test_nothing_reported_gives_no_value_rather_than_zero():
    for rule in ("sum", "mean", "rate"):
        assert combine(rule, [UnitFigure(A), UnitFigure(B)]) == (None, None, None)


def test_a_rate_over_zero_cases_has_no_value():
    assert combine("rate", [UnitFigure(A, numerator=0, denominator=0)]) == (None, 0, 0)


# ---- through the API -------------------------------------------------------------------------


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Stöd och omsorg")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Enhet Öst")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Enhet Väst")
    other = factory.unit(kind="se_verksamhet", name="Annan verksamhet")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "other": other,
        "chef": factory.user(("manager", verksamhet)),
        "staff_east": factory.user(("staff", east)),
        "staff_west": factory.user(("staff", west)),
        "inspector": factory.user(("inspector", verksamhet)),
    }


def make_measure(client, headers, unit, **fields):
    body = {
        "unit_id": str(unit.id),
        "name": "Antal genomförandeplaner som avslutats enligt plan",
        "kind": "result",
        "level": 3,
        "aggregation": "sum",
        "unit_of_measure": "antal",
        **fields,
    }
    response = client.post("/api/quality/measures", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def enter(client, headers, measure, unit, period, **fields):
    body = {"measure_id": measure["id"], "unit_id": str(unit.id), "period": period, **fields}
    return client.post("/api/quality/measure-values", json=body, headers=headers)


def test_genomforandeplaner_per_enhet_add_up_for_the_whole_uppdrag(client, org):
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    assert enter(client, chef, measure, org["east"], "2026-T1", value=5).status_code == 201
    staff = login(client, org["staff_east"])
    response = enter(client, staff, measure, org["west"], "2026-T1", value=2)
    assert_error(response, 404, "not_found")  # staff of Öst cannot see Väst
    assert enter(client, chef, measure, org["west"], "2026-T1", value=3).status_code == 201

    as_chef = client.get(
        f"/api/quality/measures/{measure['id']}/aggregate?period=2026-T1", headers=chef
    )
    assert as_chef.status_code == 200
    assert (as_chef.json["value"], as_chef.json["withheld"]) == (8, False)
    assert (as_chef.json["reported"], as_chef.json["expected"]) == (2, 2)
    per_unit = {u["unit_id"]: u["value"] for u in as_chef.json["per_unit"]}
    assert per_unit == {str(org["east"].id): 5, str(org["west"].id): 3}
    # Staff of Öst see their own enhet's figure, not Väst's; and with Väst the only other
    # enhet reporting, not the total either (8 less their 5 would be Väst's 3).
    aggregate = client.get(
        f"/api/quality/measures/{measure['id']}/aggregate?period=2026-T1", headers=staff
    )
    assert aggregate.status_code == 200
    assert (aggregate.json["value"], aggregate.json["withheld"]) == (None, True)
    per_unit = {u["unit_id"]: u["value"] for u in aggregate.json["per_unit"]}
    assert per_unit == {str(org["east"].id): 5}


@pytest.mark.parametrize(
    ("aggregation", "east", "west", "north"),
    [
        ("sum", {"value": 5}, {"value": 3}, {"value": 4}),
        ("mean", {"value": 5}, {"value": 3}, {"value": 4}),
        (
            "rate",
            {"numerator": 3, "denominator": 4},
            {"numerator": 1, "denominator": 6},
            {"numerator": 2, "denominator": 5},
        ),
    ],
)
def test_staff_see_the_uppdrags_figure_only_where_it_gives_no_other_enhet_away(
    client, factory, org, aggregation, east, west, north
):
    """Issue 22, finding 12: with one other enhet reporting, the total less one's own is
    that enhet's figure. From two others on, the figure is shown again."""
    chef = login(client, org["chef"])
    staff = login(client, org["staff_east"])
    measure = make_measure(client, chef, org["verksamhet"], aggregation=aggregation)
    url = f"/api/quality/measures/{measure['id']}/aggregate?period=2026"
    assert enter(client, staff, measure, org["east"], "2026", **east).status_code == 201
    # Only their own enhet reported: the figure is theirs, and shown.
    assert client.get(url, headers=staff).json["value"] is not None
    assert enter(client, chef, measure, org["west"], "2026", **west).status_code == 201
    one_other = client.get(url, headers=staff).json
    assert (one_other["value"], one_other["numerator"], one_other["denominator"]) == (
        None,
        None,
        None,
    )
    assert one_other["withheld"] is True and one_other["reported"] == 2
    assert client.get(url, headers=chef).json["withheld"] is False
    north_unit = factory.unit(kind="se_enhet", parent=org["verksamhet"], name="Enhet Norr")
    assert enter(client, chef, measure, north_unit, "2026", **north).status_code == 201
    two_others = client.get(url, headers=staff).json
    assert two_others["withheld"] is False
    assert two_others["value"] == client.get(url, headers=chef).json["value"] is not None


def test_a_rate_measure_stores_the_enhets_own_rate_and_aggregates_by_summing(client, org):
    chef = login(client, org["chef"])
    measure = make_measure(
        client, chef, org["verksamhet"], name="Andel enligt plan", aggregation="rate"
    )
    east = enter(client, chef, measure, org["east"], "2026", numerator=3, denominator=4)
    assert east.status_code == 201 and east.json["value"] == 0.75
    enter(client, chef, measure, org["west"], "2026", numerator=1, denominator=6)
    aggregate = client.get(
        f"/api/quality/measures/{measure['id']}/aggregate?period=2026", headers=chef
    ).json
    assert (aggregate["value"], aggregate["numerator"], aggregate["denominator"]) == (0.4, 4, 10)


def test_a_value_cell_has_one_derived_id_and_a_second_entry_is_refused(client, org):
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    first = enter(client, chef, measure, org["east"], "2026-03", value=1)
    expected = measure_value_id(uuid.UUID(measure["id"]), org["east"].id, "2026-03")
    assert first.json["id"] == str(expected)
    assert_error(
        enter(client, chef, measure, org["east"], "2026-03", value=2),
        422,
        "invalid_input",
        "period",
    )
    wrong_id = enter(client, chef, measure, org["west"], "2026-03", value=2, id=str(uuid.uuid4()))
    assert_error(wrong_id, 422, "invalid_input", "id")
    assert db.session.get(MeasureValue, expected).value == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "2026-T4", "value": 1}, "period"),
        ({"period": "26", "value": 1}, "period"),
        ({"period": "2026", "value": "many"}, "value"),
        ({"period": "2026", "numerator": 1, "denominator": 2}, "numerator"),
        ({"period": "2026", "value": 1, "note": "Gällde 850709-1234"}, "note"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(client, org, fields, field):
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    body = {"measure_id": measure["id"], "unit_id": str(org["east"].id), **fields}
    response = client.post("/api/quality/measure-values", json=body, headers=chef)
    assert_error(response, 422, "invalid_input", field)
    assert db.session.query(MeasureValue).count() == 0


def test_a_numerator_above_its_denominator_is_refused(client, org):
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"], aggregation="rate")
    response = enter(client, chef, measure, org["east"], "2026", numerator=5, denominator=4)
    assert_error(response, 422, "invalid_input", "numerator")


def test_nivå_2_values_belong_to_the_verksamhet_and_nivå_3_to_its_enheter(client, org):
    chef = login(client, org["chef"])
    level2 = make_measure(client, chef, org["verksamhet"], name="Budget", level=2)
    level3 = make_measure(client, chef, org["verksamhet"])
    assert_error(
        enter(client, chef, level2, org["east"], "2026", value=1), 422, "invalid_input", "unit_id"
    )
    assert_error(
        enter(client, chef, level3, org["verksamhet"], "2026", value=1),
        422,
        "invalid_input",
        "unit_id",
    )
    assert enter(client, chef, level2, org["verksamhet"], "2026", value=1).status_code == 201


def test_staff_enter_values_but_only_managers_define_measures(client, org):
    staff = login(client, org["staff_east"])
    body = {"unit_id": str(org["verksamhet"].id), "name": "X", "kind": "process"}
    assert_error(client.post("/api/quality/measures", json=body, headers=staff), 404, "not_found")
    inspector = login(client, org["inspector"])
    assert_error(
        client.post("/api/quality/measures", json=body, headers=inspector), 403, "forbidden"
    )
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    assert enter(client, staff, measure, org["east"], "2026", value=1).status_code == 201
    assert_error(enter(client, inspector, measure, org["east"], "2027", value=1), 403, "forbidden")


def test_a_value_is_cleared_not_deleted_and_a_measure_takes_its_values_along(client, org):
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    value = enter(client, chef, measure, org["east"], "2026", value=4).json
    response = client.delete(f"/api/quality/measure-values/{value['id']}", headers=chef)
    assert_error(response, 409, "invalid_state")
    cleared = client.patch(
        f"/api/quality/measure-values/{value['id']}", json={"value": None}, headers=chef
    )
    assert cleared.status_code == 200 and cleared.json["value"] is None
    assert client.delete(f"/api/quality/measures/{measure['id']}", headers=chef).status_code == 204
    db.session.expire_all()
    assert db.session.get(MeasureValue, uuid.UUID(value["id"])).deleted is True


CSV = """enhet;mått;period;värde;täljare;nämnare;kommentar
Enhet Öst;Antal genomförandeplaner som avslutats enligt plan;2026-T1;5;;;
Enhet Väst;Antal genomförandeplaner som avslutats enligt plan;2026-T1;3;;;Från verksamhetssystemet
Enhet Öst;Andel enligt plan;2026-T1;;3;4;
Enhet Väst;Andel enligt plan;2026-T1;;1;6;
"""


def test_csv_import_creates_then_updates_and_the_aggregates_follow(client, org):
    chef = login(client, org["chef"])
    count = make_measure(client, chef, org["verksamhet"])
    rate = make_measure(
        client, chef, org["verksamhet"], name="Andel enligt plan", aggregation="rate"
    )
    body = {"unit_id": str(org["verksamhet"].id), "csv": CSV}
    first = client.post("/api/quality/measure-values/import", json=body, headers=chef)
    assert first.status_code == 200, first.json
    assert first.json == {"created": 4, "updated": 0}
    again = client.post(
        "/api/quality/measure-values/import",
        json={**body, "csv": CSV.replace("2026-T1;5", "2026-T1;6,5")},
        headers=chef,
    )
    assert again.json == {"created": 0, "updated": 4}
    total = client.get(
        f"/api/quality/measures/{count['id']}/aggregate?period=2026-T1", headers=chef
    )
    assert total.json["value"] == 9.5
    share = client.get(f"/api/quality/measures/{rate['id']}/aggregate?period=2026-T1", headers=chef)
    assert share.json["value"] == 0.4


def test_a_csv_with_a_bad_row_imports_nothing_and_names_the_row(client, org):
    chef = login(client, org["chef"])
    make_measure(client, chef, org["verksamhet"])
    bad = CSV.splitlines()[:2] + [
        "Enhet Norr;Antal genomförandeplaner som avslutats enligt plan;2026-T1;1;;;"
    ]
    body = {"unit_id": str(org["verksamhet"].id), "csv": "\n".join(bad)}
    response = client.post("/api/quality/measure-values/import", json=body, headers=chef)
    error = assert_error(response, 422, "invalid_input", "row 3")
    assert "Enhet Norr" in error["fields"]["row 3"][0]
    assert db.session.query(MeasureValue).count() == 0


def test_staff_import_values_for_their_own_enhet_only(client, org):
    chef = login(client, org["chef"])
    make_measure(client, chef, org["verksamhet"])
    staff = login(client, org["staff_east"])
    own = (
        "enhet;mått;period;värde\n"
        "Enhet Öst;Antal genomförandeplaner som avslutats enligt plan;2026;2\n"
    )
    response = client.post(
        "/api/quality/measure-values/import",
        json={"unit_id": str(org["east"].id), "csv": own},
        headers=staff,
    )
    assert response.status_code == 200, response.json
    assert response.json == {"created": 1, "updated": 0}
    other = own.replace("Enhet Öst", "Enhet Väst")
    response = client.post(
        "/api/quality/measure-values/import",
        json={"unit_id": str(org["east"].id), "csv": other},
        headers=staff,
    )
    assert_error(response, 422, "invalid_input", "row 2")


# ---- nivå 3 of its own: an enhet's goals and measures (seed 003: "Tas fram per enhet") ---------


@pytest.fixture
def enhetschef(factory, org):
    return factory.user(("manager", org["east"]))


def test_an_enhetschef_defines_the_enhets_own_goals_and_measures_beside_the_inherited(
    client, org, enhetschef
):
    chef = login(client, org["chef"])
    inherited = make_measure(client, chef, org["verksamhet"])
    own = login(client, enhetschef)
    goal = client.post(
        "/api/quality/areas",
        json={
            "unit_id": str(org["east"].id),
            "name": "Trygg överlämning",
            "process_goals": "Ingen insats avbryts vid byte av handläggare.",
        },
        headers=own,
    )
    assert goal.status_code == 201, goal.json
    local = make_measure(
        client,
        own,
        org["east"],
        name="Antal överlämningar med gemensamt möte",
        kind="process",
        area_id=goal.json["id"],
    )
    # Never nivå 2, which is the uppdrag's.
    refused = client.post(
        "/api/quality/measures",
        json={
            **{k: local[k] for k in ("name", "kind")},
            "unit_id": str(org["east"].id),
            "level": 2,
        },
        headers=own,
    )
    assert_error(refused, 422, "invalid_input", "level")
    # The enhet's staff read both; the other enhet's staff and managers elsewhere do not.
    staff = login(client, org["staff_east"])
    names = {m["name"] for m in client.get("/api/quality/measures", headers=staff).json}
    assert names == {inherited["name"], local["name"]}
    west = login(client, org["staff_west"])
    assert {m["name"] for m in client.get("/api/quality/measures", headers=west).json} == {
        inherited["name"]
    }
    # An enhetschef does not change the verksamhet's measures, nor define another enhet's.
    assert_error(
        client.patch(f"/api/quality/measures/{inherited['id']}", json={"name": "X"}, headers=own),
        404,
        "not_found",
    )
    response = client.post(
        "/api/quality/measures",
        json={"unit_id": str(org["west"].id), "name": "Y", "kind": "result"},
        headers=own,
    )
    assert_error(response, 404, "not_found")
    # Staff do not define measures of their enhet either.
    response = client.post(
        "/api/quality/measures",
        json={"unit_id": str(org["east"].id), "name": "Z", "kind": "result"},
        headers=staff,
    )
    assert_error(response, 403, "forbidden")


def test_a_local_measure_is_reported_by_its_enhet_alone_and_shown_apart_at_niva_2(
    client, org, enhetschef
):
    chef = login(client, org["chef"])
    inherited = make_measure(client, chef, org["verksamhet"])
    own = login(client, enhetschef)
    local = make_measure(client, own, org["east"], name="Väntetid till första samtal")
    staff = login(client, org["staff_east"])
    assert enter(client, staff, local, org["east"], "2026-T1", value=4).status_code == 201
    assert_error(
        enter(client, chef, local, org["west"], "2026-T1", value=9), 422, "invalid_input", "unit_id"
    )
    assert enter(client, chef, inherited, org["east"], "2026-T1", value=5).status_code == 201
    assert enter(client, chef, inherited, org["west"], "2026-T1", value=3).status_code == 201

    # Nivå 2 still combines the inherited measure over both enheter...
    common = client.get(
        f"/api/quality/measures/{inherited['id']}/aggregate?period=2026-T1", headers=chef
    ).json
    assert (common["value"], common["expected"], common["local"]) == (8, 2, False)
    # ... and shows the local one as Öst's own figure, not spread over the uppdrag.
    figure = client.get(
        f"/api/quality/measures/{local['id']}/aggregate?period=2026-T1", headers=chef
    ).json
    assert (figure["value"], figure["reported"], figure["expected"]) == (4, 1, 1)
    assert figure["local"] is True and figure["withheld"] is False
    assert [u["unit_id"] for u in figure["per_unit"]] == [str(org["east"].id)]
    # Importing for Öst finds Öst's own measure by its name.
    body = {
        "unit_id": str(org["east"].id),
        "csv": "enhet;mått;period;värde\nEnhet Öst;Väntetid till första samtal;2026-T2;6\n",
    }
    imported = client.post("/api/quality/measure-values/import", json=body, headers=staff)
    assert imported.json == {"created": 1, "updated": 0}, imported.json
