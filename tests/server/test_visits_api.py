"""Inspection visits over REST: visits, findings and their rules, finding -> plan item with the
påbud's legal deadline, deadline extensions, inspectors' comments, summary and Word report."""

from __future__ import annotations

import io
import uuid

import pytest
from docx import Document
from PIL import Image

from server.extensions import db
from server.models import AuditEvent, DeadlineExtension, Finding, ItemComment, PlanItem, Visit
from tests.helpers import assert_error, docx_pictures
from tests.server.visit_helpers import VISIT_DATE, cast, post_finding, post_visit, themes


def test_inspector_records_a_visit_assessed_by_the_catalogue_in_force(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c, announced=False, notes="Aftenbesøg")
    stored = db.session.get(Visit, uuid.UUID(visit["id"]))
    assert stored is not None and stored.created_by == c.inspector.id
    # No inspectors named: the one recording the visit.
    assert [i["user_id"] for i in visit["inspectors"]] == [str(c.inspector.id)]
    assert visit["catalogue_id"] == str(themes()[4].catalogue_id)
    assert visit["announced"] is False and visit["purpose"] == "ongoing_supervision"
    audit = db.session.query(AuditEvent).filter_by(table_name="visits").one()
    assert audit.via == "rest" and audit.user_id == c.inspector.id


def test_only_inspectors_record_visits_and_findings(client, factory):
    c = cast(client, factory)
    body = {"unit_id": str(c.unit.id), "visit_date": VISIT_DATE, "purpose": "approval"}
    for role in ("staff", "manager"):
        assert_error(
            client.post("/api/visits", json=body, headers=c.headers[role]), 403, "forbidden"
        )
    visit = post_visit(client, c)
    finding = {"theme_id": str(themes()[4].id), "kind": "observation", "text": "Fint"}
    for role in ("staff", "manager"):
        response = client.post(
            f"/api/visits/{visit['id']}/findings", json=finding, headers=c.headers[role]
        )
        assert_error(response, 403, "forbidden")
    assert db.session.query(Finding).count() == 0


def test_inspector_of_another_unit_sees_nothing(client, factory):
    c = cast(client, factory)
    other = cast(client, factory, factory.unit(name="Andet tilbud"))
    visit = post_visit(client, c)
    headers = other.headers["inspector"]
    assert_error(client.get(f"/api/visits/{visit['id']}", headers=headers), 404, "not_found")
    assert client.get("/api/visits", headers=headers).json == []
    body = {"unit_id": str(c.unit.id), "visit_date": VISIT_DATE, "purpose": "approval"}
    assert_error(client.post("/api/visits", json=body, headers=headers), 404, "not_found")


def test_staff_and_managers_of_the_unit_read_its_visits(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    post_finding(client, c, visit)
    for role in ("staff", "manager"):
        assert [v["id"] for v in client.get("/api/visits", headers=c.headers[role]).json] == [
            visit["id"]
        ]
        findings = client.get(f"/api/visits/{visit['id']}/findings", headers=c.headers[role])
        assert findings.status_code == 200 and len(findings.json) == 1


def test_a_paabud_needs_a_deadline_after_the_visit(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    url = f"/api/visits/{visit['id']}/findings"
    base = {
        "theme_id": str(themes()[4].id),
        "kind": "paabud",
        "text": "Magtanvendelser indberettes",
    }
    assert_error(
        client.post(url, json=base, headers=c.headers["inspector"]),
        422,
        "invalid_input",
        "deadline",
    )
    early = {**base, "deadline": "2026-01-01"}
    assert_error(
        client.post(url, json=early, headers=c.headers["inspector"]),
        422,
        "invalid_input",
        "deadline",
    )
    ok = client.post(url, json={**base, "deadline": "2026-05-01"}, headers=c.headers["inspector"])
    assert ok.status_code == 201 and ok.json["deadline"] == "2026-05-01"
    assert ok.json["item_ids"] == []


def test_a_rating_is_1_to_5_and_needs_a_justification(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    url = f"/api/visits/{visit['id']}/findings"
    base = {"theme_id": str(themes()[4].id), "kind": "observation", "text": "Trivsel"}
    headers = c.headers["inspector"]
    response = client.post(url, json={**base, "rating": 4}, headers=headers)
    assert_error(response, 422, "invalid_input", "rating_justification")
    response = client.post(
        url, json={**base, "rating": 4, "rating_justification": "  "}, headers=headers
    )
    assert_error(response, 422, "invalid_input", "rating_justification")
    response = client.post(
        url, json={**base, "rating": 6, "rating_justification": "x"}, headers=headers
    )
    assert_error(response, 422, "invalid_input", "rating")
    economy = {**base, "theme_id": str(themes()[None].id)}
    response = client.post(
        url, json={**economy, "rating": 3, "rating_justification": "x"}, headers=headers
    )
    assert_error(response, 422, "invalid_input", "rating")
    good = client.post(
        url, json={**base, "rating": 4, "rating_justification": "Beboerne trives."}, headers=headers
    )
    assert good.status_code == 201 and good.json["rating"] == 4


def test_theme_and_criterion_must_come_from_the_visits_catalogue(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    url = f"/api/visits/{visit['id']}/findings"
    old = themes("2020-01-01")[4]
    headers = c.headers["inspector"]
    response = client.post(
        url, json={"theme_id": str(old.id), "kind": "observation", "text": "x"}, headers=headers
    )
    assert_error(response, 422, "invalid_input", "theme_id")
    theme4, theme5 = themes()[4], themes()[5]
    wrong = {"theme_id": str(theme4.id), "criterion_id": str(theme5.criteria[0].id)}
    response = client.post(url, json={**wrong, "kind": "observation", "text": "x"}, headers=headers)
    assert_error(response, 422, "invalid_input", "criterion_id")
    right = {"theme_id": str(theme4.id), "criterion_id": str(theme4.criteria[2].id)}
    response = client.post(url, json={**right, "kind": "anbefaling", "text": "x"}, headers=headers)
    assert response.status_code == 201


def test_inspector_corrects_a_finding_and_the_rules_still_hold(client, factory):
    c = cast(client, factory)
    finding = post_finding(client, c, post_visit(client, c))
    url = f"/api/findings/{finding['id']}"
    headers = c.headers["inspector"]
    response = client.patch(url, json={"kind": "paabud"}, headers=headers)
    assert_error(response, 422, "invalid_input", "deadline")
    response = client.patch(url, json={"kind": "paabud", "deadline": "2026-04-01"}, headers=headers)
    assert response.status_code == 200 and response.json["version"] == 2
    assert_error(
        client.patch(url, json={"text": "Rettet"}, headers=c.headers["manager"]), 403, "forbidden"
    )


def _paabud_and_plan(client, factory, c, deadline="2026-05-01"):
    visit = post_visit(client, c)
    finding = post_finding(
        client, c, visit, kind="paabud", deadline=deadline, text="Indberet magtanvendelser"
    )
    plan = factory.plan(c.unit)
    return visit, finding, plan


def test_manager_turns_a_paabud_into_a_prefilled_linked_item(client, factory):
    c = cast(client, factory)
    _, finding, plan = _paabud_and_plan(client, factory, c)
    response = client.post(
        f"/api/findings/{finding['id']}/to-item",
        json={"plan_id": str(plan.id)},
        headers=c.headers["manager"],
    )
    assert response.status_code == 201, response.json
    item = response.json
    assert item["finding_id"] == finding["id"]
    assert item["legal_deadline"] == "2026-05-01" and item["end_date"] == "2026-05-01"
    assert item["topic"] == "Indberet magtanvendelser"
    assert item["theme_id"] == finding["theme_id"]
    stored = db.session.get(PlanItem, uuid.UUID(item["id"]))
    assert stored is not None and stored.plan_id == plan.id
    # The link is visible from the finding's side too.
    again = client.get(f"/api/findings/{finding['id']}", headers=c.headers["inspector"])
    assert again.json["item_ids"] == [item["id"]]


def test_a_finding_under_an_older_catalogue_maps_to_the_plans_theme(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c, visit_date="2025-05-10")
    finding = post_finding(client, c, visit, theme_id=str(themes("2025-05-10")[4].id))
    plan = factory.plan(c.unit)  # 2026: the 2025 catalogue
    response = client.post(
        f"/api/findings/{finding['id']}/to-item",
        json={"plan_id": str(plan.id), "goal": "Alle kender reglerne"},
        headers=c.headers["manager"],
    )
    assert response.status_code == 201
    assert response.json["theme_id"] == str(themes()[4].id)
    assert (
        response.json["legal_deadline"] is None and response.json["goal"] == "Alle kender reglerne"
    )


def test_only_the_units_manager_turns_findings_into_items(client, factory):
    c = cast(client, factory)
    _, finding, plan = _paabud_and_plan(client, factory, c)
    url = f"/api/findings/{finding['id']}/to-item"
    for role in ("staff", "inspector"):
        response = client.post(url, json={"plan_id": str(plan.id)}, headers=c.headers[role])
        assert_error(response, 403, "forbidden")
    # Staff cannot sneak the link in through an ordinary item either.
    response = client.post(
        f"/api/plans/{plan.id}/items",
        json={"finding_id": finding["id"], "topic": "x"},
        headers=c.headers["staff"],
    )
    assert_error(response, 403, "forbidden")
    other_plan = factory.plan(factory.unit(name="Andet"))
    manager_both = factory.user(("manager", c.unit), ("manager", other_plan_unit(other_plan)))
    from tests.helpers import login

    response = client.post(
        url, json={"plan_id": str(other_plan.id)}, headers=login(client, manager_both)
    )
    assert_error(response, 422, "invalid_input", "finding_id")
    assert db.session.query(PlanItem).filter(PlanItem.finding_id.isnot(None)).count() == 0


def other_plan_unit(plan):
    from server.models import Unit

    return db.session.get(Unit, plan.unit_id)


def test_an_item_answering_a_paabud_cannot_pass_its_deadline_without_an_extension(client, factory):
    c = cast(client, factory)
    _, finding, plan = _paabud_and_plan(client, factory, c)
    item = client.post(
        f"/api/findings/{finding['id']}/to-item",
        json={"plan_id": str(plan.id)},
        headers=c.headers["manager"],
    ).json
    url = f"/api/items/{item['id']}"
    for role in ("staff", "manager"):
        response = client.patch(url, json={"end_date": "2026-06-01"}, headers=c.headers[role])
        body = assert_error(response, 422, "invalid_input", "end_date")
        assert "2026-05-01" in body["message"]
    # Nor can the client write the legal deadline itself.
    response = client.patch(
        url, json={"legal_deadline": "2026-09-01"}, headers=c.headers["manager"]
    )
    assert response.status_code == 422
    assert (
        client.patch(url, json={"end_date": "2026-04-15"}, headers=c.headers["staff"]).status_code
        == 200
    )

    extensions = f"/api/items/{item['id']}/extensions"
    extension = {
        "new_deadline": "2026-07-01",
        "reason": "Ny leder tiltræder",
        "granted_by": "Socialtilsyn Øst",
    }
    assert_error(
        client.post(extensions, json=extension, headers=c.headers["staff"]), 403, "forbidden"
    )
    response = client.post(extensions, json=extension, headers=c.headers["manager"])
    assert response.status_code == 201, response.json
    assert response.json["author_id"] == str(c.manager.id) and response.json["created_at"]
    assert (
        client.patch(url, json={"end_date": "2026-06-01"}, headers=c.headers["staff"]).status_code
        == 200
    )
    assert_error(
        client.patch(url, json={"end_date": "2026-07-02"}, headers=c.headers["staff"]),
        422,
        "invalid_input",
        "end_date",
    )
    # An extension must move the deadline later.
    earlier = {**extension, "new_deadline": "2026-06-15"}
    assert_error(
        client.post(extensions, json=earlier, headers=c.headers["inspector"]),
        422,
        "invalid_input",
        "new_deadline",
    )
    listed = client.get(extensions, headers=c.headers["inspector"]).json
    assert [e["new_deadline"] for e in listed] == ["2026-07-01"]
    assert db.session.query(DeadlineExtension).count() == 1


def test_an_item_without_a_paabud_takes_no_extension(client, factory):
    c = cast(client, factory)
    plan = factory.plan(c.unit)
    item = factory.item(plan)
    response = client.post(
        f"/api/items/{item.id}/extensions",
        json={"new_deadline": "2026-07-01", "reason": "x", "granted_by": "y"},
        headers=c.headers["manager"],
    )
    assert_error(response, 422, "invalid_input", "item_id")


def test_inspectors_comment_on_items_but_never_edit_the_providers_text(client, factory):
    c = cast(client, factory)
    plan = factory.plan(c.unit)
    item = factory.item(plan, goal="Alle kender reglerne")
    url = f"/api/items/{item.id}"
    assert_error(
        client.patch(url, json={"goal": "Overtaget"}, headers=c.headers["inspector"]),
        403,
        "forbidden",
    )
    response = client.post(
        f"{url}/comments", json={"text": "Husk dokumentation"}, headers=c.headers["inspector"]
    )
    assert response.status_code == 201 and response.json["author_id"] == str(c.inspector.id)
    for role in ("staff", "manager"):
        response = client.post(f"{url}/comments", json={"text": "Svar"}, headers=c.headers[role])
        assert_error(response, 403, "forbidden")
    comments = client.get(f"{url}/comments", headers=c.headers["staff"]).json
    assert [x["text"] for x in comments] == ["Husk dokumentation"]
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).goal == "Alle kender reglerne"
    assert db.session.query(ItemComment).count() == 1


def test_inspectors_follow_the_progress_of_plans_they_supervise(client, factory):
    c = cast(client, factory)
    plan = factory.plan(c.unit)
    item = factory.item(plan)
    factory.note(item, c.staff, "Kursus holdt")
    headers = c.headers["inspector"]
    assert client.get(f"/api/plans/{plan.id}/items", headers=headers).status_code == 200
    notes = client.get(f"/api/items/{item.id}/notes", headers=headers).json
    assert [n["text"] for n in notes] == ["Kursus holdt"]


def test_a_finding_answered_by_an_item_cannot_be_deleted(client, factory):
    c = cast(client, factory)
    visit, finding, plan = _paabud_and_plan(client, factory, c)
    client.post(
        f"/api/findings/{finding['id']}/to-item",
        json={"plan_id": str(plan.id)},
        headers=c.headers["manager"],
    )
    headers = c.headers["inspector"]
    assert_error(
        client.delete(f"/api/findings/{finding['id']}", headers=headers), 409, "invalid_state"
    )
    assert_error(client.delete(f"/api/visits/{visit['id']}", headers=headers), 409, "invalid_state")


def test_summary_gives_findings_and_rating_averages_per_theme(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    t = themes()
    post_finding(client, c, visit, rating=4, rating_justification="God trivsel")
    post_finding(
        client, c, visit, rating=3, rating_justification="Enkelte klager", kind="anbefaling"
    )
    post_finding(
        client, c, visit, theme_id=str(t[7].id), kind="bekymrende_forhold", text="Slidte lokaler"
    )
    summary = client.get(f"/api/visits/{visit['id']}/summary", headers=c.headers["manager"]).json
    by_number = {theme["number"]: theme for theme in summary["themes"]}
    assert by_number[4]["rating_average"] == 3.5 and by_number[4]["ratings"] == 2
    assert len(by_number[4]["findings"]) == 2
    assert by_number[7]["rating_average"] is None and len(by_number[7]["findings"]) == 1
    assert by_number[5]["findings"] == []
    assert 1 not in by_number  # the 2025 catalogue has no theme 1
    assert summary["counts"] == {"observation": 1, "anbefaling": 1, "bekymrende_forhold": 1}
    assert summary["unit_name"] == "Bofællesskabet Lærken"


def test_visit_report_is_a_word_document_with_a_table_per_theme(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    post_finding(client, c, visit, rating=4, rating_justification="God trivsel", text="Trives godt")
    response = client.get(
        f"/api/visits/{visit['id']}/report.docx?lang=da", headers=c.headers["inspector"]
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tilsynsbesøg" in text and "Uanmeldt" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "4. Sundhed og trivsel" in cells and "4,0" in cells
    assert "Trives godt" in cells and "God trivsel" in cells
    assert len(document.tables) == 2  # the overview, and theme 4's findings
    assert docx_pictures(document) == []  # one rated theme: no spindelvæv
    other = cast(client, factory, factory.unit(name="Andet"))
    response = client.get(
        f"/api/visits/{visit['id']}/report.docx", headers=other.headers["inspector"]
    )
    assert_error(response, 404, "not_found")


def rate_themes(client, c, visit, numbers):
    for rating, number in enumerate(numbers, start=2):
        post_finding(
            client,
            c,
            visit,
            theme_id=str(themes()[number].id),
            rating=rating,
            rating_justification="Set ved besøget",
        )


@pytest.mark.parametrize(("rated", "pictures"), [(2, 0), (3, 1), (4, 1)])
def test_visit_report_draws_the_spindelvaev_from_three_rated_themes(
    client, factory, rated, pictures
):
    c = cast(client, factory)
    visit = post_visit(client, c)
    rate_themes(client, c, visit, [3, 4, 5, 6][:rated])
    post_finding(client, c, visit, theme_id=str(themes()[7].id))  # a theme with no rating
    response = client.get(
        f"/api/visits/{visit['id']}/report.docx?lang=da", headers=c.headers["inspector"]
    )
    document = Document(io.BytesIO(response.data))
    found = docx_pictures(document)
    assert len(found) == pictures
    if not pictures:
        return
    (content_type, blob, alt_text), shape = found[0], document.inline_shapes[0]
    assert content_type == "image/png" and alt_text == "Spindelvæv: gennemsnitlig score pr. tema"
    image = Image.open(io.BytesIO(blob))
    assert image.format == "PNG" and image.width == 1200 and 800 < image.height < 1400
    assert 13 < shape.width.cm < 15
    # Where a reader looks for it: under the overview heading, above the overview table.
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("Vurdering pr. tema")
    drawing = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//w:drawing"))
    assert drawing == heading + 1
    first_table = document.element.body.index(document.tables[0]._tbl)
    assert document.element.body.index(document.paragraphs[drawing]._p) == first_table - 1


def test_visit_report_radar_speaks_the_reports_language(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    rate_themes(client, c, visit, [3, 4, 5])
    url = f"/api/visits/{visit['id']}/report.docx?lang="
    danish, swedish = (
        docx_pictures(
            Document(io.BytesIO(client.get(url + lang, headers=c.headers["inspector"]).data))
        )
        for lang in ("da", "sv")
    )
    assert swedish[0][2] == "Spindeldiagram: medelvärde per kvalitetsområde"
    assert danish[0][1] != swedish[0][1]  # the title and scale are drawn in the language


def test_bad_input_names_the_field(client, factory):
    c = cast(client, factory)
    headers = c.headers["inspector"]
    body = {"unit_id": str(c.unit.id), "visit_date": "not a date", "purpose": "party"}
    body_error = assert_error(
        client.post("/api/visits", json=body, headers=headers), 422, "invalid_input"
    )
    assert {"visit_date", "purpose"} <= set(body_error["fields"])
    visit = post_visit(client, c)
    response = client.post(
        f"/api/visits/{visit['id']}/findings",
        json={"theme_id": str(themes()[4].id), "kind": "påbud", "text": ""},
        headers=headers,
    )
    fields = assert_error(response, 422, "invalid_input")["fields"]
    assert {"kind", "text"} <= set(fields)


def test_demo_seed_has_the_visit_the_foster_family_plan_answers(client, runner):
    from server.demo import DEMO_PASSWORD

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    token = client.post(
        "/api/auth/login", json={"email": "tilsyn@demo.test", "password": DEMO_PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    [visit] = client.get("/api/visits", headers=headers).json
    findings = client.get(f"/api/visits/{visit['id']}/findings", headers=headers).json
    assert sorted(f["kind"] for f in findings) == ["anbefaling", "observation", "paabud"]
    advice = next(f for f in findings if f["kind"] == "anbefaling")
    [item_id] = advice["item_ids"]
    item = db.session.get(PlanItem, uuid.UUID(item_id))
    assert item is not None and item.finding_id == uuid.UUID(advice["id"])
    assert db.session.query(Visit).count() == 1
