"""Which quality model a plan uses (issue 17, point 1), and which template wording it takes
(point 8): the catalogue version chosen at creation or defaulted from the inspection date,
changed only while a draft; a row's criterion; the last-column variants per plan kind; the
admin command that corrects a version's dates."""

from __future__ import annotations

import io
import uuid

import pytest
from docx import Document

from server.extensions import db
from server.models import Catalogue, Plan, PlanItem
from server.services.catalogues import find_catalogue, stable_id
from tests.helpers import assert_error, login


@pytest.fixture
def unit(factory):
    return factory.unit(kind="dk_tilbud", name="Bofællesskaberne Dolmer Have og Glesborg")


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


@pytest.fixture
def staff(factory, unit):
    return factory.user(("staff", unit))


def version(code: str, label: str) -> Catalogue:
    found = find_catalogue(db.session, code, label)
    assert found is not None
    return found


def theme_id(code: str, label: str, number: int) -> str:
    return str(stable_id(code, label, "theme", number))


def criterion_id(code: str, label: str, number: int, position: int) -> str:
    return str(stable_id(stable_id(code, label, "theme", number), "criterion", position))


def new_plan(client, headers, unit, **fields):
    body = {"unit_id": str(unit.id), "kind": "dk_tilbud", "title": "Opfølgningsplan", **fields}
    return client.post("/api/plans", headers=headers, json=body)


# ---- the version a plan is written under --------------------------------------------------


def test_plan_following_an_old_inspection_takes_the_version_in_force_on_its_date(
    client, manager, unit
):
    """Seed 000: a plan dated after the amendment that follows up the inspection of
    22.3-2021 keeps the seven themes, so its first row (Selvstændighed og relationer) fits."""
    headers = login(client, manager)
    response = new_plan(client, headers, unit, plan_date="2026-12-03", inspection_date="2021-03-22")
    assert response.status_code == 201, response.json
    assert response.json["catalogue_id"] == str(version("dk_tilbud", "2014").id)
    row = client.post(
        f"/api/plans/{response.json['id']}/items",
        headers=headers,
        json={"theme_id": theme_id("dk_tilbud", "2014", 2), "topic": "Selvbestemmelse"},
    )
    assert row.status_code == 201, row.json
    assert db.session.get(PlanItem, uuid.UUID(row.json["id"])).theme_id == uuid.UUID(
        theme_id("dk_tilbud", "2014", 2)
    )


def test_plan_without_inspection_date_takes_the_version_in_force_on_the_plan_date(
    client, manager, unit
):
    response = new_plan(client, login(client, manager), unit, plan_date="2026-12-03")
    assert response.json["catalogue_id"] == str(version("dk_tilbud", "2025").id)


def test_a_chosen_version_wins_over_the_dates(client, manager, unit):
    chosen = version("dk_tilbud", "2014")
    response = new_plan(
        client, login(client, manager), unit, plan_date="2026-12-03", catalogue_id=str(chosen.id)
    )
    assert response.status_code == 201, response.json
    assert db.session.get(Plan, uuid.UUID(response.json["id"])).catalogue_id == chosen.id


@pytest.mark.parametrize(
    "catalogue", [lambda: str(version("dk_plejefamilie", "2014").id), lambda: str(uuid.uuid4())]
)
def test_a_version_of_another_catalogue_is_refused_naming_the_field(
    client, manager, unit, catalogue
):
    response = new_plan(client, login(client, manager), unit, catalogue_id=catalogue())
    assert_error(response, 422, "invalid_input", field="catalogue_id")
    assert db.session.query(Plan).count() == 0


def test_a_draft_moves_to_another_version_with_its_rows_themes_and_criteria(
    client, factory, manager, unit
):
    headers = login(client, manager)
    plan = new_plan(client, headers, unit, plan_date="2024-05-01").json
    assert plan["catalogue_id"] == str(version("dk_tilbud", "2014").id)
    row = client.post(
        f"/api/plans/{plan['id']}/items",
        headers=headers,
        json={
            "theme_id": theme_id("dk_tilbud", "2014", 4),
            "criterion_id": criterion_id("dk_tilbud", "2014", 4, 3),
            "topic": "Magtanvendelse",
        },
    ).json
    newer = version("dk_tilbud", "2025")
    response = client.patch(
        f"/api/plans/{plan['id']}", headers=headers, json={"catalogue_id": str(newer.id)}
    )
    assert response.status_code == 200, response.json
    assert response.json["catalogue_id"] == str(newer.id)
    item = db.session.get(PlanItem, uuid.UUID(row["id"]))
    db.session.refresh(item)
    assert str(item.theme_id) == theme_id("dk_tilbud", "2025", 4)
    assert str(item.criterion_id) == criterion_id("dk_tilbud", "2025", 4, 3)
    assert item.version == 2


def test_a_draft_cannot_move_to_a_version_without_a_rows_theme(client, manager, unit):
    headers = login(client, manager)
    plan = new_plan(client, headers, unit, plan_date="2024-05-01").json
    client.post(
        f"/api/plans/{plan['id']}/items",
        headers=headers,
        json={"theme_id": theme_id("dk_tilbud", "2014", 2), "topic": "Selvbestemmelse"},
    )
    response = client.patch(
        f"/api/plans/{plan['id']}",
        headers=headers,
        json={"catalogue_id": str(version("dk_tilbud", "2025").id), "title": "Ny titel"},
    )
    body = assert_error(response, 422, "invalid_input", field="catalogue_id")
    assert "Row 1" in body["fields"]["catalogue_id"][0]
    stored = db.session.get(Plan, uuid.UUID(plan["id"]))
    db.session.refresh(stored)
    assert stored.catalogue_id == version("dk_tilbud", "2014").id
    assert stored.title == "Opfølgningsplan"


def test_a_submitted_plan_keeps_its_version(client, manager, unit):
    headers = login(client, manager)
    plan = new_plan(client, headers, unit, plan_date="2024-05-01").json
    assert client.post(f"/api/plans/{plan['id']}/submit", headers=headers).status_code == 200
    response = client.patch(
        f"/api/plans/{plan['id']}",
        headers=headers,
        json={"catalogue_id": str(version("dk_tilbud", "2025").id)},
    )
    assert_error(response, 422, "invalid_input", field="catalogue_id")
    # Sending the version it has is no change, and passes.
    same = client.patch(
        f"/api/plans/{plan['id']}", headers=headers, json={"catalogue_id": plan["catalogue_id"]}
    )
    assert same.status_code == 200, same.json


def test_staff_cannot_change_the_version(client, manager, staff, unit):
    plan = new_plan(client, login(client, manager), unit, plan_date="2024-05-01").json
    response = client.patch(
        f"/api/plans/{plan['id']}",
        headers=login(client, staff),
        json={"catalogue_id": str(version("dk_tilbud", "2025").id)},
    )
    assert_error(response, 403, "forbidden")


def test_catalogues_name_their_source_and_say_when_a_date_is_unsourced(client, manager):
    listed = {
        (c["code"], c["version_label"]): c
        for c in client.get("/api/catalogues", headers=login(client, manager)).json
    }
    amendment = listed[("dk_tilbud", "2025")]
    assert "L 200" in amendment["source"] and "§ 6, stk. 2, nr. 1 og 2" in amendment["source"]
    assert amendment["dates_source"] is None
    assert listed[("dk_tilbud", "2014")]["dates_source"].startswith("valid_from:")


# ---- a row's criterion ----------------------------------------------------------------------


def test_a_row_names_a_criterion_of_its_theme(client, factory, staff, unit):
    plan = factory.plan(unit, plan_date=__import__("datetime").date(2024, 5, 1))
    wanted = criterion_id("dk_tilbud", "2014", 4, 3)
    response = client.post(
        f"/api/plans/{plan.id}/items",
        headers=login(client, staff),
        json={"theme_id": theme_id("dk_tilbud", "2014", 4), "criterion_id": wanted},
    )
    assert response.status_code == 201, response.json
    assert response.json["criterion_id"] == wanted
    assert str(db.session.get(PlanItem, uuid.UUID(response.json["id"])).criterion_id) == wanted


@pytest.mark.parametrize(
    "fields",
    [
        # a criterion of another theme
        {"theme_id": theme_id("dk_tilbud", "2014", 5), "criterion_id": ("dk_tilbud", 4, 1)},
        # a criterion without a theme
        {"criterion_id": ("dk_tilbud", 4, 1)},
        # a criterion of another version's theme 4
        {"theme_id": theme_id("dk_tilbud", "2014", 4), "criterion_id": ("2025", 4, 1)},
    ],
)
def test_a_criterion_outside_the_rows_theme_is_refused(client, factory, staff, unit, fields):
    plan = factory.plan(unit, plan_date=__import__("datetime").date(2024, 5, 1))
    ref = fields["criterion_id"]
    label = "2025" if ref[0] == "2025" else "2014"
    body = {**fields, "criterion_id": criterion_id("dk_tilbud", label, ref[1], ref[2])}
    response = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert_error(response, 422, "invalid_input", field="criterion_id")
    assert db.session.query(PlanItem).count() == 0


def test_changing_the_theme_without_the_criterion_is_refused(client, factory, staff, unit):
    plan = factory.plan(unit, plan_date=__import__("datetime").date(2024, 5, 1))
    headers = login(client, staff)
    row = client.post(
        f"/api/plans/{plan.id}/items",
        headers=headers,
        json={
            "theme_id": theme_id("dk_tilbud", "2014", 4),
            "criterion_id": criterion_id("dk_tilbud", "2014", 4, 2),
        },
    ).json
    moved = {"theme_id": theme_id("dk_tilbud", "2014", 6)}
    response = client.patch(f"/api/items/{row['id']}", headers=headers, json=moved)
    assert_error(response, 422, "invalid_input", field="criterion_id")
    cleared = client.patch(
        f"/api/items/{row['id']}", headers=headers, json={**moved, "criterion_id": None}
    )
    assert cleared.status_code == 200 and cleared.json["criterion_id"] is None


def test_the_word_export_prints_the_rows_criterion_under_its_theme(client, factory, unit):
    manager = factory.user(("manager", unit), language="da")
    plan = factory.plan(unit, plan_date=__import__("datetime").date(2024, 5, 1))
    factory.item(
        plan,
        theme_id=uuid.UUID(theme_id("dk_tilbud", "2014", 4)),
        criterion_id=uuid.UUID(criterion_id("dk_tilbud", "2014", 4, 3)),
    )
    factory.item(plan, theme_id=uuid.UUID(theme_id("dk_tilbud", "2014", 6)), priority=2)
    response = client.get(f"/api/plans/{plan.id}/export.docx", headers=login(client, manager))
    assert response.status_code == 200
    table = Document(io.BytesIO(response.data)).tables[-1]
    first, second = table.rows[2].cells[0], table.rows[3].cells[0]
    assert [p.text for p in first.paragraphs] == [
        "1. prioritet: Sundhed og trivsel",
        "Kriterium: Tilbuddet forebygger og håndterer magtanvendelser.",
    ]
    assert [p.text for p in second.paragraphs] == ["2. prioritet: Kompetencer"]


def test_an_exported_criterion_is_read_back_by_the_import(client, factory, unit):
    manager = factory.user(("manager", unit), language="da")
    headers = login(client, manager)
    plan = factory.plan(unit, plan_date=__import__("datetime").date(2024, 5, 1))
    wanted = criterion_id("dk_tilbud", "2014", 4, 3)
    factory.item(
        plan,
        theme_id=uuid.UUID(theme_id("dk_tilbud", "2014", 4)),
        criterion_id=uuid.UUID(wanted),
    )
    exported = client.get(f"/api/plans/{plan.id}/export.docx", headers=headers).data
    preview = client.post(
        "/api/plans/import",
        headers=headers,
        data={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "file": (io.BytesIO(exported), "plan.docx"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.json
    assert preview.json["recognised"]["catalogue_id"] == str(version("dk_tilbud", "2014").id)
    assert preview.json["items"][0]["criterion_id"] == wanted


# ---- the last-column variants ---------------------------------------------------------------


def test_a_tilbud_plan_cannot_take_the_foster_family_status_column(client, factory, unit):
    manager = factory.user(("manager", unit), language="da")
    response = new_plan(client, login(client, manager), unit, result_label="status")
    body = assert_error(response, 422, "invalid_input", field="result_label")
    assert body["fields"]["result_label"] == [
        "En plan for et socialt tilbud slutter med RESULTAT; kolonnen STATUS hører til "
        "skabelonen for plejefamilier."
    ]
    assert db.session.query(Plan).count() == 0


def test_a_stored_tilbud_plan_cannot_be_changed_to_status(client, manager, unit):
    headers = login(client, manager)
    plan = new_plan(client, headers, unit).json
    response = client.patch(
        f"/api/plans/{plan['id']}", headers=headers, json={"result_label": "status"}
    )
    assert_error(response, 422, "invalid_input", field="result_label")


@pytest.mark.parametrize(
    ("kind", "unit_kind", "default"),
    [("dk_tilbud", "dk_tilbud", "result"), ("dk_plejefamilie", "dk_plejefamilie", "status")],
)
def test_the_api_defaults_to_the_variant_the_templates_file_names(
    client, factory, kind, unit_kind, default
):
    import json

    from server.plan_templates import TEMPLATES_JSON

    family = factory.unit(kind=unit_kind)
    manager = factory.user(("manager", family))
    response = new_plan(client, login(client, manager), family, kind=kind)
    assert response.status_code == 201, response.json
    assert response.json["result_label"] == default
    assert (
        json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))["kinds"][kind]["default"] == default
    )


def test_a_foster_family_status_plan_prints_seed_001s_status_table(client, factory):
    family = factory.unit(kind="dk_plejefamilie")
    manager = factory.user(("manager", family), language="da")
    headers = login(client, manager)
    plan = new_plan(client, headers, family, kind="dk_plejefamilie").json
    document = Document(
        io.BytesIO(client.get(f"/api/plans/{plan['id']}/export.docx", headers=headers).data)
    )
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells][-1] == "STATUS"
    questions = [c.text for c in table.rows[1].cells]
    assert questions[7] == "Hvem er ansvarlig for opfølgning?"
    assert questions[8] == ""


# ---- the admin command ----------------------------------------------------------------------


def test_the_catalogues_command_lists_versions_and_marks_unsourced_dates(runner):
    result = runner.invoke(args=["catalogues", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("dk_tilbud 2025: 2025-07-01 – …")
    assert lines[at + 1].startswith("  source: Lov om ændring af lov om socialtilsyn")
    assert lines[at + 2] == "  dates:  UNSOURCED"


def test_an_organisation_corrects_a_cut_off_date_without_a_release(client, runner, manager, unit):
    moved = runner.invoke(
        args=["catalogues", "set", "dk_tilbud", "2014", "--valid-to", "2025-12-31"]
    )
    assert moved.exit_code == 0, moved.output
    moved = runner.invoke(
        args=[
            "catalogues",
            "set",
            "dk_tilbud",
            "2025",
            "--valid-from",
            "2026-01-01",
            "--dates-source",
            "Lov nr. 0 (test)",
        ]
    )
    assert moved.exit_code == 0, moved.output
    assert "valid_from 2025-07-01 -> 2026-01-01" in moved.output
    amendment = version("dk_tilbud", "2025")
    db.session.refresh(amendment)
    assert amendment.dates_source == "Lov nr. 0 (test)" and amendment.version == 2
    plan = new_plan(client, login(client, manager), unit, plan_date="2025-12-01").json
    assert plan["catalogue_id"] == str(version("dk_tilbud", "2014").id)


@pytest.mark.parametrize(
    "args",
    [
        ["dk_tilbud", "2025", "--valid-to", "2020-01-01"],
        ["dk_tilbud", "2031", "--valid-from", "2031-01-01"],
        ["dk_tilbud", "2025", "--valid-from", "1. juli"],
    ],
)
def test_the_catalogues_command_refuses_what_cannot_be(runner, args):
    result = runner.invoke(args=["catalogues", "set", *args])
    assert result.exit_code != 0
    amendment = version("dk_tilbud", "2025")
    db.session.refresh(amendment)
    assert amendment.valid_from.isoformat() == "2025-07-01" and amendment.valid_to is None


def test_the_swedish_plan_has_one_danish_name_in_word_and_the_app(client, factory):
    import json

    from server.plan_templates import TEMPLATES_JSON

    enhet = factory.unit(kind="se_enhet")
    reader = factory.user(("manager", enhet), language="da")
    plan = factory.plan(enhet, kind="se_handlingsplan", title="Handlingsplan 2026")
    response = client.get(
        f"/api/plans/{plan.id}/export.docx?lang=da", headers=login(client, reader)
    )
    title = Document(io.BytesIO(response.data)).paragraphs[0].text
    # The PWA reads kind.se_handlingsplan from the same entry (tests/pwa/catalogue_model.test.js).
    titles = json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))["titles"]["da"]
    assert title == titles["se_handlingsplan"] == "Handlingsplan (Sverige)"


def _seed_000_dated(plan_date: str) -> bytes:
    from tests.server.test_documents_import import SEED_000, build_docx

    lines = SEED_000.read_text(encoding="utf-8").replace("9. august 2021", plan_date).splitlines()
    labels = ("Beskrivelse/titel:", "Tilbud/afdeling:", "Ansvarlig for udfyldelse:")
    header = [line.split("\t") for line in lines if line.startswith(labels)]
    start = next(i for i, line in enumerate(lines) if line.startswith("TEMA\t"))
    table = [line.split("\t") for line in lines[start:] if line.strip()]
    return build_docx("Opfølgningsplan – sociale tilbud", header, table)


def _preview(client, headers, unit, data: bytes, **form):
    return client.post(
        "/api/plans/import",
        headers=headers,
        data={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "file": (io.BytesIO(data), "p.docx"),
            **form,
        },
        content_type="multipart/form-data",
    )


def test_an_import_dated_after_the_amendment_follows_the_inspection_in_its_title(
    client, manager, unit
):
    """Seed 000 written today: the title's "tilsynsdato 22.3-2021" keeps the seven themes, so
    its first row (Selvstændighed og relationer) is matched, and the plan keeps that version."""
    headers = login(client, manager)
    preview = _preview(client, headers, unit, _seed_000_dated("3. december 2026"))
    assert preview.status_code == 200, preview.json
    body = preview.json
    assert body["recognised"]["inspection_date"] == "2021-03-22"
    assert body["recognised"]["catalogue_id"] == str(version("dk_tilbud", "2014").id)
    assert [i["matched"] for i in body["items"]] == [True, True]
    confirmed = client.post(
        "/api/plans/import/confirm",
        headers=headers,
        json={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "plan": body["recognised"],
            "items": body["items"],
        },
    )
    assert confirmed.status_code == 201, confirmed.json
    assert confirmed.json["catalogue_id"] == str(version("dk_tilbud", "2014").id)


def test_an_import_read_by_a_chosen_version_says_which_rows_it_cannot_place(client, manager, unit):
    headers = login(client, manager)
    newer = version("dk_tilbud", "2025")
    preview = _preview(
        client, headers, unit, _seed_000_dated("9. august 2021"), catalogue_id=str(newer.id)
    )
    assert preview.status_code == 200, preview.json
    assert preview.json["catalogue_id"] == str(newer.id)
    assert [i["matched"] for i in preview.json["items"]] == [False, True]
    other = _preview(
        client,
        headers,
        unit,
        _seed_000_dated("9. august 2021"),
        catalogue_id=str(version("dk_plejefamilie", "2014").id),
    )
    assert_error(other, 422, "invalid_input", field="catalogue_id")
