"""The kvalitetsberättelse kept, not only drafted (issue 18, point 8): a version is adopted by a
manager, stored as it was rendered, and served unchanged however the data moves on."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.helpers import assert_error, docx_pictures, login


@pytest.fixture
def org(client, factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    chef = factory.user(("manager", verksamhet), name="Eva Lind")
    headers = login(client, chef)
    for unit, title in ((east, "Missad överlämning"), (west, "Fel dos")):
        response = client.post(
            "/api/quality/register",
            json={
                "unit_id": str(unit.id),
                "entry_date": "2026-03-04",
                "kind": "deviation",
                "title": title,
            },
            headers=headers,
        )
        assert response.status_code == 201, response.json
    return {
        "verksamhet": verksamhet,
        "east": east,
        "chef": headers,
        "chef_user": chef,
        "staff": login(client, factory.user(("staff", east))),
        "inspector": login(client, factory.user(("inspector", verksamhet))),
        "stranger": login(client, factory.user(("manager", factory.unit(kind="se_verksamhet")))),
    }


def adopt(client, org, headers=None, **body):
    return client.post(
        "/api/quality/reports",
        json={"unit_id": str(org["verksamhet"].id), "year": 2026, **body},
        headers=headers or org["chef"],
    )


def test_a_manager_adopts_a_version_that_is_kept_as_it_was(client, org):
    response = adopt(
        client,
        org,
        conclusions="Överlämningarna är vårt förbättringsområde.\n\nRutinen ses över i maj.",
        adopted_in="Ledningsgruppen",
    )
    assert response.status_code == 201, response.json
    first = response.json
    assert (first["version"], first["year"], first["adopted_by_name"], first["adopted_in"]) == (
        1,
        2026,
        "Eva Lind",
        "Ledningsgruppen",
    )
    assert first["adopted_by"] == str(org["chef_user"].id) and first["adopted_at"]
    page = client.get(f"/api/quality/reports/{first['id']}", headers=org["chef"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Fastställd" in html and "av Eva Lind (Ledningsgruppen). Version 1." in html
    assert "Överlämningarna är vårt förbättringsområde." in html
    assert "Utkast framtaget" not in html
    # The register table shows the enhet of each entry.
    assert "<td>Familjestödet</td><td>Avvikelse</td><td>Missad överlämning</td>" in html
    assert "<td>Beroendeenheten</td><td>Avvikelse</td><td>Fel dos</td>" in html
    assert "@page{size:A4" in html

    # The data moves on; the adopted version does not, and the draft does.
    client.post(
        "/api/quality/register",
        json={
            "unit_id": str(org["east"].id),
            "entry_date": "2026-06-01",
            "kind": "complaint",
            "title": "Sen återkoppling",
        },
        headers=org["chef"],
    )
    again = client.get(f"/api/quality/reports/{first['id']}", headers=org["chef"])
    assert again.get_data(as_text=True) == html
    draft = client.get(
        f"/api/quality/report?unit_id={org['verksamhet'].id}&year=2026", headers=org["chef"]
    ).get_data(as_text=True)
    assert "Sen återkoppling" in draft and "Sen återkoppling" not in html

    second = adopt(client, org).json
    assert second["version"] == 2
    listed = client.get(
        f"/api/quality/reports?unit_id={org['verksamhet'].id}&year=2026", headers=org["chef"]
    ).json
    assert [(r["version"], r["id"]) for r in listed] == [(2, second["id"]), (1, first["id"])]
    assert "html" not in listed[0] and "docx" not in listed[0]


def test_the_adopted_docx_is_a4_says_who_adopted_it_and_keeps_its_charts(client, org):
    first = adopt(client, org, conclusions="Slutsatser.").json
    response = client.get(f"/api/quality/reports/{first['id']}?format=docx", headers=org["chef"])
    assert response.status_code == 200
    assert "version-1.docx" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections] == [
        (210, 297)
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "av Eva Lind. Version 1." in text and "Slutsatser." in text
    register = next(t for t in document.tables if t.rows[0].cells[1].text == "Enhet")
    assert [c.text for c in register.rows[0].cells] == [
        "Datum",
        "Enhet",
        "Slag",
        "Rubrik",
        "Analys",
    ]
    assert {r.cells[1].text for r in register.rows[1:]} == {"Familjestödet", "Beroendeenheten"}
    assert all(kind == "image/png" for kind, _blob, _alt in docx_pictures(document))


def test_adopting_is_for_managers_and_reading_for_every_reader_of_the_unit(client, org):
    # Staff may read their enhet but not adopt for it; the verksamhet they do not even see.
    own = {"unit_id": str(org["east"].id)}
    assert_error(adopt(client, org, headers=org["staff"], **own), 403, "forbidden")
    assert_error(adopt(client, org, headers=org["staff"]), 404, "not_found")
    assert_error(adopt(client, org, headers=org["inspector"]), 403, "forbidden")
    assert_error(adopt(client, org, headers=org["stranger"]), 404, "not_found")
    first = adopt(client, org).json
    for reader in ("chef", "inspector"):
        response = client.get(f"/api/quality/reports/{first['id']}", headers=org[reader])
        assert response.status_code == 200
    # Staff of an enhet read their enhet's reports, not the verksamhet's.
    response = client.get(f"/api/quality/reports/{first['id']}", headers=org["staff"])
    assert_error(response, 404, "not_found")
    response = client.get(f"/api/quality/reports/{first['id']}", headers=org["stranger"])
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"conclusions": "Se klient 19850101-1234."}, "conclusions"),
        ({"year": 1999}, "year"),
        ({"adopted_in": "x" * 201}, "adopted_in"),
    ],
)
def test_a_bad_adoption_is_refused_naming_the_field(client, org, body, field):
    assert_error(adopt(client, org, **body), 422, "invalid_input", field)


def test_an_adopted_version_is_not_changed_or_deleted(client, org):
    first = adopt(client, org).json
    for method in (client.patch, client.put, client.delete):
        response = method(f"/api/quality/reports/{first['id']}", json={}, headers=org["chef"])
        assert response.status_code == 405
    assert client.get(f"/api/quality/reports/{first['id']}", headers=org["chef"]).status_code == 200


def test_the_adopted_version_keeps_the_riskanalyser_and_egenkontroller_as_they_were(client, org):
    chef = org["chef"]
    risk = client.post(
        "/api/quality/risk-analyses",
        json={
            "unit_id": str(org["east"].id),
            "analysed_on": "2026-03-10",
            "event": "Läkemedel ges fel under semestern.",
            "probability": 3,
            "consequence": 4,
        },
        headers=chef,
    ).json
    checklist = client.post(
        "/api/quality/checklists",
        json={
            "unit_id": str(org["verksamhet"].id),
            "area": "basic_hygiene",
            "name": "Basal hygien",
            "points": [{"id": "0b1e5a52-7f0e-4f43-9d8e-3c4b2f1a0d11", "text": "Handsprit finns."}],
        },
        headers=chef,
    ).json
    run = client.post(
        "/api/quality/checklist-runs",
        json={
            "unit_id": str(org["east"].id),
            "checklist_id": checklist["id"],
            "run_on": "2026-05-02",
        },
        headers=chef,
    ).json
    answer = client.post(
        "/api/quality/checklist-answers",
        json={
            "run_id": run["id"],
            "point_id": checklist["points"][0]["id"],
            "answer": "deviation",
            "note": "Tom flaska i entrén.",
        },
        headers=chef,
    )
    assert answer.status_code == 201, answer.json
    first = adopt(client, org).json
    html = client.get(f"/api/quality/reports/{first['id']}", headers=chef).get_data(as_text=True)
    assert "Läkemedel ges fel under semestern." in html and "Inte uppföljd" in html
    assert "Tom flaska i entrén." in html and "Ingen åtgärd registrerad" in html
    document = Document(
        io.BytesIO(client.get(f"/api/quality/reports/{first['id']}?format=docx", headers=chef).data)
    )
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Läkemedel ges fel under semestern.", "Tom flaska i entrén."} <= cells

    # Followed up later: the draft says so, the adopted version stays as it was.
    client.patch(
        f"/api/quality/risk-analyses/{risk['id']}",
        json={"follow_up": "Dubbelsignering införd."},
        headers=chef,
    )
    kept = client.get(f"/api/quality/reports/{first['id']}", headers=chef).get_data(as_text=True)
    assert kept == html
    draft = client.get(
        f"/api/quality/report?unit_id={org['verksamhet'].id}&year=2026", headers=chef
    ).get_data(as_text=True)
    assert "Dubbelsignering införd." in draft and "Dubbelsignering införd." not in kept
