"""The follow-up levels of seed 003 over REST: uppdrags-/avtalsuppföljning with its deviations
and the handlingsplan rows that answer them, tematisk uppföljning across units (who sees and
writes which unit's result), and the sammanvägd bedömning of a year with what it is drawn from."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import (
    AssignmentFollowUp,
    FollowUpDeviation,
    OverallAssessment,
    ThematicFollowUp,
    ThematicResult,
)
from server.services.quality import overall_assessment_id, thematic_result_id
from tests.helpers import assert_error, login


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Äldreomsorgen")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Björkhagen")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Solgläntan")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": factory.user(("manager", verksamhet)),
        "east_chef": factory.user(("manager", east)),
        "staff_east": factory.user(("staff", east)),
        "staff_west": factory.user(("staff", west)),
        "inspector": factory.user(("inspector", verksamhet)),
        "stranger": factory.user(("manager", factory.unit(kind="se_verksamhet"))),
    }


def follow_up(client, headers, unit, **fields):
    body = {
        "unit_id": str(unit.id),
        "subject_kind": "contract",
        "subject": "Avtal om hemtjänst 2026",
        "provider_kind": "private",
        "provider_name": "Omsorgsbolaget AB",
        "requirements": "Kontaktperson inom sju dagar. Genomförandeplan inom 14 dagar.",
        "method": "Granskning av tio genomförandeplaner, intervju med enhetschef.",
        "responsible_name": "Avtalsuppföljare SoF",
        "planned_on": "2026-09-15",
        **fields,
    }
    return client.post("/api/quality/assignment-follow-ups", json=body, headers=headers)


def test_a_private_providers_avtal_is_followed_up_and_its_deviations_lead_to_handlingsplan_rows(
    client, factory, org
):
    chef = login(client, org["chef"])
    # A private utförare is named; an outcome waits until the follow-up is done.
    assert_error(
        follow_up(client, chef, org["east"], provider_name=None),
        422,
        "invalid_input",
        "provider_name",
    )
    assert_error(
        follow_up(client, chef, org["east"], outcome="met"), 422, "invalid_input", "outcome"
    )
    created = follow_up(client, chef, org["east"])
    assert created.status_code == 201, created.json
    done = client.patch(
        f"/api/quality/assignment-follow-ups/{created.json['id']}",
        json={
            "done_on": "2026-09-20",
            "result": "Åtta av tio planer var upprättade i tid.",
            "outcome": "partly_met",
        },
        headers=chef,
    )
    assert done.status_code == 200, done.json
    assert (done.json["outcome"], done.json["version"]) == ("partly_met", 2)

    deviation = client.post(
        "/api/quality/follow-up-deviations",
        json={
            "follow_up_id": created.json["id"],
            "requirement": "Genomförandeplan inom 14 dagar",
            "description": "Två planer upprättades efter fem veckor.",
            "action_required": "Rutin för uppstart av insats ses över.",
            "due_date": "2026-12-01",
        },
        headers=chef,
    )
    assert deviation.status_code == 201, deviation.json
    # The deviation is in the follow-up's unit, whatever the client says.
    assert deviation.json["unit_id"] == str(org["east"].id)

    plan = factory.plan(org["east"], kind="se_handlingsplan", title="Handlingsplan 2026")
    item = factory.item(plan, theme_id=None, topic="Uppstart av insats")
    staff = login(client, org["staff_east"])
    link = client.post(
        "/api/quality/links",
        json={
            "plan_item_id": str(item.id),
            "source_table": "follow_up_deviations",
            "source_id": deviation.json["id"],
        },
        headers=staff,
    )
    assert link.status_code == 201, link.json
    stored = db.session.get(FollowUpDeviation, uuid.UUID(deviation.json["id"]))
    assert (stored.follow_up_id, stored.unit_id) == (uuid.UUID(created.json["id"]), org["east"].id)


def test_the_enhet_reads_the_follow_up_of_its_avtal_but_only_managers_write_it(client, org):
    chef = login(client, org["chef"])
    created = follow_up(client, chef, org["east"]).json
    staff = login(client, org["staff_east"])
    assert [
        f["id"] for f in client.get("/api/quality/assignment-follow-ups", headers=staff).json
    ] == [created["id"]]
    assert_error(follow_up(client, staff, org["east"]), 403, "forbidden")
    assert_error(
        client.patch(
            f"/api/quality/assignment-follow-ups/{created['id']}",
            json={"outcome": "met", "done_on": "2026-09-01"},
            headers=staff,
        ),
        403,
        "forbidden",
    )
    west = login(client, org["staff_west"])
    assert client.get("/api/quality/assignment-follow-ups", headers=west).json == []
    assert_error(
        client.get(f"/api/quality/assignment-follow-ups/{created['id']}", headers=west),
        404,
        "not_found",
    )
    stranger = login(client, org["stranger"])
    assert_error(follow_up(client, stranger, org["east"]), 404, "not_found")
    # An enhet's manager may follow up their own unit (seed 003: Leanlink follows up its own).
    own = follow_up(
        client,
        login(client, org["east_chef"]),
        org["east"],
        provider_kind="own",
        provider_name=None,
    )
    assert own.status_code == 201, own.json
    assert db.session.query(AssignmentFollowUp).count() == 2


def test_a_follow_up_deleted_takes_its_deviations_along(client, org):
    chef = login(client, org["chef"])
    created = follow_up(client, chef, org["verksamhet"]).json
    deviation = client.post(
        "/api/quality/follow-up-deviations",
        json={"follow_up_id": created["id"], "description": "Ingen kontaktperson utsedd."},
        headers=chef,
    ).json
    response = client.delete(f"/api/quality/assignment-follow-ups/{created['id']}", headers=chef)
    assert response.status_code == 204
    assert db.session.get(FollowUpDeviation, uuid.UUID(deviation["id"])).deleted is True
    assert client.get("/api/quality/follow-up-deviations", headers=chef).json == []


def test_a_deviation_of_a_follow_up_the_user_cannot_read_is_refused(client, org):
    created = follow_up(client, login(client, org["chef"]), org["west"]).json
    east_chef = login(client, org["east_chef"])
    body = {"follow_up_id": created["id"], "description": "Brist"}
    assert_error(
        client.post("/api/quality/follow-up-deviations", json=body, headers=east_chef),
        422,
        "invalid_input",
        "follow_up_id",
    )


def theme(client, headers, org, **fields):
    body = {
        "unit_id": str(org["verksamhet"].id),
        "theme": "Måltider",
        "question": "Hur uppfyller enheterna riktlinjen för måltider?",
        "method": "Observation vid lunch och enkät till brukare.",
        "scope_unit_ids": [str(org["east"].id), str(org["west"].id)],
        "planned_on": "2026-10-01",
        **fields,
    }
    return client.post("/api/quality/thematic-follow-ups", json=body, headers=headers)


def result(client, headers, follow_up_id, unit, **fields):
    body = {
        "follow_up_id": follow_up_id,
        "unit_id": str(unit.id),
        "outcome": "met",
        "result": "Måltiderna är schemalagda och brukarna väljer rätt.",
        **fields,
    }
    return client.post("/api/quality/thematic-results", json=body, headers=headers)


def test_each_unit_in_a_themes_scope_answers_for_itself_and_sees_only_its_own_result(client, org):
    chef = login(client, org["chef"])
    created = theme(client, chef, org)
    assert created.status_code == 201, created.json
    theme_id = created.json["id"]
    east, west = login(client, org["staff_east"]), login(client, org["staff_west"])
    # The follow-up itself is read from every unit below the verksamhet.
    for headers in (east, west):
        assert [
            t["id"] for t in client.get("/api/quality/thematic-follow-ups", headers=headers).json
        ] == [theme_id]
    answered = result(client, east, theme_id, org["east"])
    assert answered.status_code == 201, answered.json
    assert answered.json["id"] == str(thematic_result_id(uuid.UUID(theme_id), org["east"].id))
    # Not for another unit, and once per unit.
    assert_error(result(client, east, theme_id, org["west"]), 404, "not_found")
    assert_error(result(client, east, theme_id, org["east"]), 422, "invalid_input", "unit_id")
    west_result = result(client, west, theme_id, org["west"], outcome="partly_met")
    assert west_result.status_code == 201, west_result.json

    def seen(headers):
        rows = client.get("/api/quality/thematic-results", headers=headers).json
        return {(r["unit_id"], r["outcome"]) for r in rows}

    assert seen(east) == {(str(org["east"].id), "met")}
    assert seen(west) == {(str(org["west"].id), "partly_met")}
    assert seen(chef) == {(str(org["east"].id), "met"), (str(org["west"].id), "partly_met")}
    assert_error(
        client.get(f"/api/quality/thematic-results/{west_result.json['id']}", headers=east),
        404,
        "not_found",
    )
    # An inspector reads, never writes; staff do not write the follow-up's summary.
    inspector = login(client, org["inspector"])
    assert len(client.get("/api/quality/thematic-results", headers=inspector).json) == 2
    assert_error(
        client.patch(
            f"/api/quality/thematic-results/{answered.json['id']}",
            json={"outcome": "not_met"},
            headers=inspector,
        ),
        403,
        "forbidden",
    )
    assert_error(
        client.patch(
            f"/api/quality/thematic-follow-ups/{theme_id}", json={"summary": "Bra"}, headers=east
        ),
        404,
        "not_found",
    )
    summary = client.patch(
        f"/api/quality/thematic-follow-ups/{theme_id}",
        json={"summary": "En av två enheter uppfyller riktlinjen helt.", "done_on": "2026-10-20"},
        headers=chef,
    )
    assert summary.status_code == 200, summary.json


def test_a_unit_outside_the_scope_gives_no_result(client, factory, org):
    chef = login(client, org["chef"])
    third = factory.unit(kind="se_enhet", parent=org["verksamhet"], name="Ekbacken")
    theme_id = theme(client, chef, org).json["id"]
    assert_error(result(client, chef, theme_id, third), 422, "invalid_input", "unit_id")
    other = factory.unit(kind="se_enhet", parent=factory.unit(kind="se_verksamhet"))
    assert_error(
        theme(client, chef, org, scope_unit_ids=[str(other.id)]),
        422,
        "invalid_input",
        "scope_unit_ids",
    )
    assert_error(
        theme(client, chef, org, unit_id=str(org["east"].id)), 422, "invalid_input", "unit_id"
    )


def test_a_unit_deleted_after_it_was_put_in_scope_does_not_block_the_summary(client, org):
    chef = login(client, org["chef"])
    theme_id = theme(client, chef, org).json["id"]
    org["west"].deleted = True
    db.session.commit()
    summary = client.patch(
        f"/api/quality/thematic-follow-ups/{theme_id}",
        json={"summary": "Björkhagen uppfyller riktlinjen."},
        headers=chef,
    )
    assert summary.status_code == 200, summary.json
    assert summary.json["scope_unit_ids"] == [str(org["east"].id), str(org["west"].id)]


def test_a_unit_with_a_result_stays_in_scope_until_its_result_is_cleared(client, org):
    chef = login(client, org["chef"])
    theme_id = theme(client, chef, org).json["id"]
    answered = result(client, login(client, org["staff_east"]), theme_id, org["east"]).json
    only_west = {"scope_unit_ids": [str(org["west"].id)]}
    path = f"/api/quality/thematic-follow-ups/{theme_id}"
    body = assert_error(
        client.patch(path, json=only_west, headers=chef), 422, "invalid_input", "scope_unit_ids"
    )
    assert "Björkhagen" in body["fields"]["scope_unit_ids"][0]
    # A result is cleared, not deleted (its id is derived, like a measure value's).
    assert_error(
        client.delete(f"/api/quality/thematic-results/{answered['id']}", headers=chef),
        409,
        "invalid_state",
    )
    cleared = client.patch(
        f"/api/quality/thematic-results/{answered['id']}",
        json={"outcome": None, "result": None},
        headers=chef,
    )
    assert cleared.status_code == 200, cleared.json
    narrowed = client.patch(path, json=only_west, headers=chef)
    assert narrowed.status_code == 200, narrowed.json
    assert db.session.get(ThematicFollowUp, uuid.UUID(theme_id)).scope_unit_ids == [
        str(org["west"].id)
    ]
    # Out of scope, the cleared row takes no answer again.
    assert_error(
        client.patch(
            f"/api/quality/thematic-results/{answered['id']}",
            json={"outcome": "met"},
            headers=chef,
        ),
        422,
        "invalid_input",
        "unit_id",
    )
    client.delete(path, headers=chef)
    assert db.session.get(ThematicResult, uuid.UUID(answered["id"])).deleted is True


def test_the_overall_assessment_is_one_per_year_and_drawn_from_the_levels(client, factory, org):
    chef = login(client, org["chef"])
    staff = login(client, org["staff_east"])
    case = {
        "unit_id": str(org["east"].id),
        "case_code": "BH-1",
        "intervention": "Hemtjänst",
        "started_on": "2026-02-01",
        "ended_on": "2026-06-30",
        "end_reason": "planned",
        "needs_met": "yes",
    }
    assert client.post("/api/quality/cases", json=case, headers=staff).status_code == 201
    done = follow_up(client, chef, org["east"]).json
    client.patch(
        f"/api/quality/assignment-follow-ups/{done['id']}",
        json={"done_on": "2026-09-20", "outcome": "partly_met"},
        headers=chef,
    )
    follow_up(client, chef, org["west"], planned_on="2027-03-01")  # next year's
    follow_up(client, chef, org["west"], provider_kind="own", provider_name=None)  # planned
    deviations = [
        client.post(
            "/api/quality/follow-up-deviations",
            json={"follow_up_id": done["id"], "description": text},
            headers=chef,
        ).json
        for text in ("Sen genomförandeplan", "Ingen kontaktperson")
    ]
    item = factory.item(factory.plan(org["east"], kind="se_handlingsplan"), theme_id=None)
    client.post(
        "/api/quality/links",
        json={
            "plan_item_id": str(item.id),
            "source_table": "follow_up_deviations",
            "source_id": deviations[0]["id"],
        },
        headers=chef,
    )
    theme_id = theme(client, chef, org, done_on="2026-10-20").json["id"]
    result(client, staff, theme_id, org["east"])
    result(client, login(client, org["staff_west"]), theme_id, org["west"], outcome="not_met")

    query = f"/api/quality/overall-assessments/basis?unit_id={org['verksamhet'].id}&year=2026"
    basis = client.get(query, headers=chef)
    assert basis.status_code == 200, basis.json
    assert basis.json["individual"] == {
        "cases": 1,
        "ended": 1,
        "by_end_reason": {"planned": 1},
        "by_needs_met": {"yes": 1},
    }
    assert basis.json["assignment"] == {
        "follow_ups": 2,
        "done": 1,
        "by_outcome": {"partly_met": 1},
        "by_provider_kind": {"private": 1, "own": 1},
        "deviations": 2,
        "deviations_with_action": 1,
    }
    thematic = basis.json["thematic"]
    assert (thematic["follow_ups"], thematic["done"]) == (1, 1)
    assert thematic["by_outcome"] == {"met": 1, "not_met": 1}
    assert thematic["themes"][0] | {"follow_up_id": None} == {
        "follow_up_id": None,
        "theme": "Måltider",
        "done_on": "2026-10-20",
        "units": 2,
        "answered": 2,
        "by_outcome": {"met": 1, "not_met": 1},
    }
    # Staff of one enhet draw only on what is theirs to see.
    own = client.get(
        f"/api/quality/overall-assessments/basis?unit_id={org['east'].id}&year=2026", headers=staff
    ).json
    assert own["thematic"]["by_outcome"] == {"met": 1}
    assert own["assignment"]["follow_ups"] == 1
    assert_error(client.get(query, headers=staff), 404, "not_found")

    body = {
        "unit_id": str(org["verksamhet"].id),
        "year": 2026,
        "individual_level": "Insatserna avslutas i regel enligt plan.",
        "assignment_level": "Avtalet följs delvis; två avvikelser.",
        "thematic_level": "Måltiderna brister på en av två enheter.",
        "overall": "Kvaliteten bedöms som godtagbar med förbättringsområden.",
        "outcome": "partly_met",
        "assessed_on": "2026-11-15",
    }
    created = client.post("/api/quality/overall-assessments", json=body, headers=chef)
    assert created.status_code == 201, created.json
    assert created.json["id"] == str(overall_assessment_id(org["verksamhet"].id, 2026))
    assert_error(
        client.post("/api/quality/overall-assessments", json=body, headers=chef),
        422,
        "invalid_input",
        "year",
    )
    assert_error(
        client.post("/api/quality/overall-assessments", json=body, headers=staff), 404, "not_found"
    )
    assert_error(
        client.post(
            "/api/quality/overall-assessments",
            json={**body, "unit_id": str(org["east"].id)},
            headers=chef,
        ),
        422,
        "invalid_input",
        "unit_id",
    )
    assert_error(
        client.delete(f"/api/quality/overall-assessments/{created.json['id']}", headers=chef),
        409,
        "invalid_state",
    )
    assert db.session.query(OverallAssessment).one().overall == body["overall"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("assignment-follow-ups", "result"),
        ("thematic-follow-ups", "summary"),
        ("overall-assessments", "overall"),
    ],
)
def test_no_personnummer_in_the_levels_texts(client, org, path, field):
    chef = login(client, org["chef"])
    bodies = {
        "assignment-follow-ups": {
            "unit_id": str(org["east"].id),
            "subject": "Uppdrag",
            "done_on": "2026-01-01",
        },
        "thematic-follow-ups": {
            "unit_id": str(org["verksamhet"].id),
            "theme": "Barnkonventionen",
            "question": "Hur beaktas barnets bästa?",
        },
        "overall-assessments": {"unit_id": str(org["verksamhet"].id), "year": 2026},
    }
    body = {**bodies[path], field: "Gäller brukaren 19850709-1234."}
    assert_error(
        client.post(f"/api/quality/{path}", json=body, headers=chef), 422, "invalid_input", field
    )
