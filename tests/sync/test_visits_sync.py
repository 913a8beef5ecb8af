"""Visits over the sync protocol: an inspector's offline rows pushed and pulled, the same rules
as REST (who may write what, append-only comments and extensions, the påbud's deadline), and
the scope (inspectors and staff of other units receive nothing)."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import DeadlineExtension, Finding, ItemComment, PlanItem, Visit, VisitPhoto
from tests.helpers import login
from tests.server.visit_helpers import jpeg, sha256, themes, upload
from tests.sync.test_push_api import delete, results, upsert

# The photo the inspector's device uploads before it pushes the record naming it.
PHOTO = jpeg()


@pytest.fixture
def scene(factory, client):
    unit = factory.unit(name="Lærken")
    other = factory.unit(name="Andet")
    scene = {
        "unit": unit,
        "plan": factory.plan(unit),
        "inspector": factory.user(("inspector", unit)),
        "manager": factory.user(("manager", unit)),
        "staff": factory.user(("staff", unit)),
        "outsider": factory.user(("inspector", other), ("manager", other), ("staff", other)),
    }
    assert upload(client, login(client, scene["inspector"]), PHOTO).json["complete"] is True
    return scene


def _offline_visit(scene):
    """What an inspector's device queues during a visit without network."""
    visit_id, paabud_id, advice_id, photo_id = (uuid.uuid4() for _ in range(4))
    theme = themes()[4]
    return (
        visit_id,
        paabud_id,
        [
            upsert(
                1,
                "visits",
                visit_id,
                {
                    "unit_id": str(scene["unit"].id),
                    "visit_date": "2026-03-02",
                    "announced": False,
                    "purpose": "ongoing_supervision",
                    "notes": "Aftenbesøg",
                },
            ),
            upsert(
                2,
                "findings",
                paabud_id,
                {
                    "visit_id": str(visit_id),
                    "theme_id": str(theme.id),
                    "criterion_id": str(theme.criteria[2].id),
                    "kind": "paabud",
                    "deadline": "2026-05-01",
                    "text": "Magtanvendelser skal indberettes",
                    "created_at": "2026-03-02T19:05:00+00:00",
                },
            ),
            upsert(
                3,
                "findings",
                advice_id,
                {
                    "visit_id": str(visit_id),
                    "theme_id": str(theme.id),
                    "kind": "anbefaling",
                    "text": "Flere fælles aktiviteter",
                    "rating": 4,
                    "rating_justification": "Beboerne trives",
                },
            ),
            upsert(
                4,
                "visit_photos",
                photo_id,
                {
                    "visit_id": str(visit_id),
                    "finding_id": str(paabud_id),
                    "sha256": sha256(PHOTO),
                    "content_type": "image/jpeg",
                    "size_bytes": 1234,
                },
            ),
        ],
    )


def test_an_inspectors_offline_visit_is_pushed_and_pulled_by_the_unit(scene, api):
    visit_id, paabud_id, mutations = _offline_visit(scene)
    inspector = api(scene["inspector"])
    assert [r["status"] for r in results(inspector.push(mutations))] == ["applied"] * 4
    db.session.expire_all()
    visit = db.session.get(Visit, visit_id)
    assert visit is not None and visit.created_by == scene["inspector"].id
    assert visit.inspectors == [{"user_id": str(scene["inspector"].id)}]
    paabud = db.session.get(Finding, paabud_id)
    assert paabud is not None and paabud.unit_id == scene["unit"].id
    assert paabud.author_id == scene["inspector"].id
    assert db.session.query(VisitPhoto).one().unit_id == scene["unit"].id

    for reader in ("manager", "staff", "inspector"):
        changes, _ = api(scene[reader]).pull_all()
        tables = {c["table"] for c in changes}
        assert {"visits", "findings", "visit_photos"} <= tables, reader
        pulled = next(c for c in changes if c["id"] == str(paabud_id))
        assert pulled["fields"]["deadline"] == "2026-05-01"
        assert pulled["fields"]["author_id"] == str(scene["inspector"].id)

    changes, _ = api(scene["outsider"]).pull_all()
    assert not {c["table"] for c in changes} & {"visits", "findings", "visit_photos"}


def test_staff_and_managers_cannot_push_visits_or_findings(scene, api):
    _, _, mutations = _offline_visit(scene)
    for role in ("staff", "manager"):
        [result] = results(api(scene[role]).push(mutations[:1]))
        assert result["status"] == "rejected" and result["error"]["error"] == "forbidden"
    [result] = results(api(scene["outsider"]).push(mutations[:1]))
    assert result["status"] == "rejected" and result["error"]["error"] == "not_found"
    assert db.session.query(Visit).count() == 0


def test_rules_hold_on_sync_as_on_rest(scene, api):
    visit_id, _, mutations = _offline_visit(scene)
    inspector = api(scene["inspector"])
    results(inspector.push(mutations[:1]))
    no_deadline = upsert(
        2,
        "findings",
        uuid.uuid4(),
        {
            "visit_id": str(visit_id),
            "theme_id": str(themes()[4].id),
            "kind": "paabud",
            "text": "x",
        },
    )
    unjustified = upsert(
        3,
        "findings",
        uuid.uuid4(),
        {
            "visit_id": str(visit_id),
            "theme_id": str(themes()[4].id),
            "kind": "observation",
            "text": "x",
            "rating": 2,
        },
    )
    server_field = upsert(
        4,
        "findings",
        uuid.uuid4(),
        {
            "visit_id": str(visit_id),
            "theme_id": str(themes()[4].id),
            "kind": "observation",
            "text": "x",
            "author_id": str(scene["manager"].id),
        },
    )
    got = results(inspector.push([no_deadline, unjustified, server_field]))
    assert [r["status"] for r in got] == ["rejected"] * 3
    assert "deadline" in got[0]["error"]["fields"]
    assert "rating_justification" in got[1]["error"]["fields"]
    assert "author_id" in got[2]["error"]["fields"]
    assert db.session.query(Finding).count() == 0


def test_inspector_edits_a_finding_offline_and_it_merges(scene, api):
    visit_id, paabud_id, mutations = _offline_visit(scene)
    inspector = api(scene["inspector"])
    results(inspector.push(mutations[:2]))
    [edited] = results(
        inspector.push(
            [
                upsert(
                    3,
                    "findings",
                    paabud_id,
                    {"text": "Rettet tekst"},
                    1,
                    {"text": "Magtanvendelser skal indberettes"},
                ),
            ]
        )
    )
    assert edited["status"] == "applied" and edited["version"] == 2
    [refused] = results(
        api(scene["manager"]).push(
            [
                upsert(
                    1,
                    "findings",
                    paabud_id,
                    {"text": "Lederens tekst"},
                    2,
                    {"text": "Rettet tekst"},
                ),
            ]
        )
    )
    assert refused["status"] == "rejected" and refused["error"]["error"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Finding, paabud_id).text == "Rettet tekst"


def test_manager_turns_the_paabud_into_an_item_offline(scene, api):
    _, paabud_id, mutations = _offline_visit(scene)
    results(api(scene["inspector"]).push(mutations))
    item_id = uuid.uuid4()
    manager = api(scene["manager"])
    [created] = results(
        manager.push(
            [
                upsert(
                    1,
                    "plan_items",
                    item_id,
                    {
                        "plan_id": str(scene["plan"].id),
                        "finding_id": str(paabud_id),
                        "topic": "Magtanvendelser skal indberettes",
                        "theme_id": str(themes()[4].id),
                        "end_date": "2026-05-01",
                    },
                ),
            ]
        )
    )
    assert created["status"] == "applied", created
    db.session.expire_all()
    item = db.session.get(PlanItem, item_id)
    assert item.legal_deadline.isoformat() == "2026-05-01" and item.finding_id == paabud_id
    # The legal deadline is the server's, not the device's.
    [refused] = results(
        manager.push(
            [
                upsert(2, "plan_items", item_id, {"legal_deadline": "2026-12-01"}, 1, {}),
            ]
        )
    )
    assert refused["status"] == "rejected" and "legal_deadline" in refused["error"]["fields"]
    # Past the deadline: refused until an extension is recorded, then accepted.
    later = upsert(
        3, "plan_items", item_id, {"end_date": "2026-06-01"}, 1, {"end_date": "2026-05-01"}
    )
    [refused] = results(manager.push([later]))
    assert refused["status"] == "rejected" and "end_date" in refused["error"]["fields"]
    extension = upsert(
        4,
        "deadline_extensions",
        uuid.uuid4(),
        {
            "item_id": str(item_id),
            "new_deadline": "2026-06-30",
            "reason": "Ny leder",
            "granted_by": "Socialtilsyn Øst",
        },
    )
    again = upsert(
        5, "plan_items", item_id, {"end_date": "2026-06-01"}, 1, {"end_date": "2026-05-01"}
    )
    assert [r["status"] for r in results(manager.push([extension, again]))] == ["applied"] * 2
    db.session.expire_all()
    assert db.session.get(PlanItem, item_id).end_date.isoformat() == "2026-06-01"
    changes, _ = api(scene["inspector"]).pull_all()
    pulled = next(c for c in changes if c["id"] == str(item_id))
    assert pulled["fields"]["finding_id"] == str(paabud_id)
    assert pulled["fields"]["legal_deadline"] == "2026-05-01"
    assert any(c["table"] == "deadline_extensions" for c in changes)


def test_staff_cannot_link_an_item_to_a_finding(scene, api):
    _, paabud_id, mutations = _offline_visit(scene)
    results(api(scene["inspector"]).push(mutations))
    [result] = results(
        api(scene["staff"]).push(
            [
                upsert(
                    1,
                    "plan_items",
                    uuid.uuid4(),
                    {
                        "plan_id": str(scene["plan"].id),
                        "finding_id": str(paabud_id),
                    },
                ),
            ]
        )
    )
    assert result["status"] == "rejected" and result["error"]["error"] == "forbidden"


def test_inspector_comments_sync_append_only_and_never_touch_the_item(scene, api, factory):
    item = factory.item(scene["plan"], goal="Alle kender reglerne")
    inspector = api(scene["inspector"])
    comment_id = uuid.uuid4()
    [applied] = results(
        inspector.push(
            [
                upsert(
                    1,
                    "item_comments",
                    comment_id,
                    {"item_id": str(item.id), "text": "Husk referater"},
                ),
            ]
        )
    )
    assert applied["status"] == "applied"
    edit_comment = upsert(2, "item_comments", comment_id, {"text": "Ændret"}, 1, {})
    drop_comment = delete(3, "item_comments", comment_id, 1)
    edit_item = upsert(4, "plan_items", item.id, {"goal": "Inspektørens mål"}, item.version, {})
    got = results(inspector.push([edit_comment, drop_comment, edit_item]))
    assert got[0]["status"] == "duplicate"  # written once; the same id is the same comment
    assert got[1]["status"] == "rejected" and got[1]["error"]["error"] == "invalid_state"
    assert got[2]["status"] == "rejected" and got[2]["error"]["error"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(ItemComment, comment_id).text == "Husk referater"
    assert db.session.get(PlanItem, item.id).goal == "Alle kender reglerne"
    [staff_comment] = results(
        api(scene["staff"]).push(
            [
                upsert(1, "item_comments", uuid.uuid4(), {"item_id": str(item.id), "text": "Svar"}),
            ]
        )
    )
    assert staff_comment["status"] == "rejected" and staff_comment["error"]["error"] == "forbidden"
    changes, _ = api(scene["staff"]).pull_all()
    assert [c["fields"]["text"] for c in changes if c["table"] == "item_comments"] == [
        "Husk referater"
    ]
    assert db.session.query(DeadlineExtension).count() == 0


def test_revoking_an_inspectors_membership_removes_the_visits_from_the_device(scene, api):
    from server.models import Membership

    _, _, mutations = _offline_visit(scene)
    inspector = api(scene["inspector"])
    results(inspector.push(mutations))
    changes, cursor = inspector.pull_all()
    assert any(c["table"] == "visits" for c in changes)
    db.session.query(Membership).filter_by(user_id=scene["inspector"].id).delete()
    db.session.commit()
    changes, _ = inspector.pull_all(cursor)
    gone = {c["table"] for c in changes if c["deleted"]}
    assert {"visits", "findings", "visit_photos"} <= gone


def test_reference_client_round_trip(scene, device):
    """The reference client (sync/client.py) handles the new tables without knowing them."""
    inspector = device(scene["inspector"])
    manager = device(scene["manager"])
    visit_id = inspector.create(
        "visits",
        {
            "unit_id": str(scene["unit"].id),
            "visit_date": "2026-03-02",
            "purpose": "follow_up",
        },
    )
    inspector.create(
        "findings",
        {
            "visit_id": visit_id,
            "theme_id": str(themes()[4].id),
            "kind": "observation",
            "text": "Godt",
            "created_at": "2026-03-02T10:00:00+00:00",
        },
    )
    inspector.sync()
    manager.sync()
    assert manager.get("visits", visit_id)["purpose"] == "follow_up"
    assert [r["text"] for r in manager.rows("findings").values()] == ["Godt"]
