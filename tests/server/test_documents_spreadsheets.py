"""Items across plans as CSV and XLSX: what a reader may see, filtered, and formula-safe."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from server.documents.spreadsheets import neutralise_formula
from tests.helpers import assert_error, login


@pytest.fixture
def units(factory):
    """Two units of one organisation; the tests' users read only the first (and its child)."""
    mine = factory.unit(name="Lærkevej")
    child = factory.unit(kind="dk_afdeling", parent=mine, name="Lærkevej, afdeling B")
    other = factory.unit(name="Andet tilbud")
    return mine, child, other


@pytest.fixture
def items(factory, units):
    mine, child, other = units
    running = factory.plan(mine, title="Plan Lærkevej")
    factory.item(running, priority=1, topic="Forsinket", end_date=date(2020, 1, 31))
    factory.item(running, priority=2, topic='=HYPERLINK("http://x")', state="in_progress")
    factory.item(running, priority=3, topic="Færdig", end_date=date(2020, 1, 31), state="done")
    in_child = factory.plan(child, title="Plan afdeling B")
    factory.item(in_child, priority=1, topic="I afdelingen", end_date=date(2099, 1, 1))
    factory.item(factory.plan(other, title="Fremmed plan"), priority=1, topic="Hemmelig")
    return running


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.json
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def get(client, headers, path, **query):
    return client.get(path, query_string=query, headers=headers)


def test_csv_lists_the_items_of_every_readable_plan_with_a_header_row(
    client, factory, units, items
):
    staff = factory.user(("staff", units[0]), language="da")

    rows = read_csv(get(client, login(client, staff), "/api/items/export.csv"))

    assert list(rows[0]) == [
        "Tilbud/afdeling",
        "Plan",
        "Planens status",
        "Prioritet",
        "Tema",
        "Emne",
        "Mål",
        "Hvad?",
        "Hvordan?",
        "Start",
        # A row's end is its slutdato, as the template says; "frist" is a påbud's.
        "Slutdato",
        "Varig ordning",
        "Hvornår?",
        "Dokumentation",
        "Hvem? (gennemførelse)",
        "Hvem? (opfølgning)",
        "Resultat/status",
        "Tilstand",
        "Overskredet",
    ]
    assert sorted(row["Emne"] for row in rows) == sorted(
        ["Forsinket", '\'=HYPERLINK("http://x")', "Færdig", "I afdelingen"]
    )
    assert {row["Tema"] for row in rows} == {"Sundhed og trivsel"}


@pytest.mark.parametrize(
    ("query", "topics"),
    [
        ({"overdue": "true"}, ["Forsinket"]),
        ({"state": "in_progress"}, ['\'=HYPERLINK("http://x")']),
        ({"state": "done", "overdue": "true"}, []),
        ({"unit_id": "child"}, ["I afdelingen"]),
        ({"unit_id": "other"}, []),
    ],
    ids=["overdue", "state", "done-is-never-overdue", "unit", "unit-not-readable"],
)
def test_csv_filters(client, factory, units, items, query, topics):
    mine, child, other = units
    manager = factory.user(("manager", mine), language="da")
    named = {"child": str(child.id), "other": str(other.id)}
    query = {k: named.get(v, v) for k, v in query.items()}

    rows = read_csv(get(client, login(client, manager), "/api/items/export.csv", **query))

    assert sorted(row["Emne"] for row in rows) == sorted(topics)
    if query.get("overdue"):
        assert all(row["Overskredet"] == "ja" for row in rows)


def test_xlsx_has_the_same_lines_with_formulas_kept_as_text(client, factory, units, items):
    manager = factory.user(("manager", units[0]), language="en")

    response = get(client, login(client, manager), "/api/items/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Unit", "Plan", "Plan state", "Priority", "Theme", "Topic")
    assert len(rows) == 5
    formula = next(
        c for row in sheet.iter_rows(min_row=2) for c in row if "HYPERLINK" in str(c.value)
    )
    assert formula.data_type == "s"
    assert formula.value == '=HYPERLINK("http://x")'
    overdue = next(row for row in rows if row[5] == "Forsinket")
    assert overdue[10].date() == date(2020, 1, 31) and overdue[-1] == "yes"


def test_an_unknown_filter_value_is_refused(client, factory, units):
    reader = factory.user(("inspector", units[0]))
    response = get(client, login(client, reader), "/api/items/export.csv", state="lost")
    assert_error(response, 422, "invalid_input", "state")


def test_a_user_without_units_gets_only_the_header(client, factory, items):
    loner = factory.user()
    rows = read_csv(get(client, login(client, loner), "/api/items/export.csv"))
    assert rows == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+45 1234", "'+45 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Mål = 1", "Mål = 1"),
    ],
)
def test_neutralise_formula(text, written):
    assert neutralise_formula(text) == written
