"""Which changes queue which notifications, for whom: on every path, in the same transaction,
never for the person who made the change, never for someone who cannot see the unit."""

from __future__ import annotations

import uuid

from server import clock
from server.extensions import db
from server.models import Conflict, PlanItem
from server.models.versioning import act_as
from tests.helpers import login
from tests.push.conftest import outbox


def _post(client, user, path, body=None):
    response = client.post(path, json=body, headers=login(client, user))
    assert response.status_code in (200, 201), response.json
    act_as(db.session, None, "cli")
    return response


def _patch(client, user, path, body):
    response = client.patch(path, json=body, headers=login(client, user))
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")
    return response


def _recipients(kind):
    return sorted(row.user_id for row in outbox(kind=kind))


def test_newly_named_responsible_users_are_told_but_not_the_one_who_named_them(client, factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    path = f"/api/items/{item.id}"

    _patch(client, manager, path, {"responsible": [{"user_id": str(anna.id)}]})
    _patch(client, manager, path, {"goal": "Nyt mål"})  # no change to HVEM?
    _patch(
        client,
        manager,
        path,
        {
            "responsible": [
                {"user_id": str(anna.id)},
                {"user_id": str(bo.id)},
                {"user_id": str(manager.id)},
                {"name": "En vikar"},
            ]
        },
    )

    rows = outbox(kind="assigned")
    assert sorted(r.user_id for r in rows) == sorted([anna.id, bo.id])
    assert {(r.unit_id, r.plan_id, r.item_id) for r in rows} == {(unit.id, item.plan_id, item.id)}


def test_an_item_created_with_responsible_users_tells_them(client, factory):
    unit = factory.unit()
    anna = factory.user(("staff", unit))
    plan = factory.plan(unit)

    factory.item(plan, responsible=[{"user_id": str(anna.id)}])

    assert _recipients("assigned") == [anna.id]


def test_submitting_tells_the_managers_of_the_unit_and_the_units_above(client, factory):
    region = factory.unit(kind="se_verksamhet")
    unit = factory.unit(kind="se_enhet", parent=region)
    elsewhere = factory.unit()
    submitter = factory.user(("manager", unit))
    unit_manager = factory.user(("manager", unit))
    region_manager = factory.user(("manager", region))
    factory.user(("staff", unit))
    factory.user(("manager", elsewhere))
    factory.user(("inspector", unit))
    plan = factory.plan(unit, kind="se_handlingsplan")

    _post(client, submitter, f"/api/plans/{plan.id}/submit")

    assert _recipients("plan_submitted") == sorted([unit_manager.id, region_manager.id])
    (row,) = outbox(user_id=unit_manager.id)
    assert (row.plan_id, row.item_id) == (plan.id, None)


def test_approval_and_sending_back_tell_the_submitter(client, factory):
    unit = factory.unit()
    submitter = factory.user(("manager", unit))
    approver = factory.user(("manager", unit))
    plan = factory.plan(unit)

    _post(client, submitter, f"/api/plans/{plan.id}/submit")
    _post(client, approver, f"/api/plans/{plan.id}/send-back", {"reason": "Mangler frist."})
    _post(client, submitter, f"/api/plans/{plan.id}/submit")
    _post(client, approver, f"/api/plans/{plan.id}/approve")

    assert _recipients("plan_sent_back") == [submitter.id]
    assert _recipients("plan_approved") == [submitter.id]
    # Submitted twice, so the other manager was asked twice, each under its own key.
    assert _recipients("plan_submitted") == [approver.id, approver.id]


def test_a_note_tells_the_responsible_users_except_its_author(client, factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    item = factory.item(
        factory.plan(unit), responsible=[{"user_id": str(anna.id)}, {"user_id": str(bo.id)}]
    )

    _post(client, anna, f"/api/items/{item.id}/notes", {"text": "Kursus afholdt"})

    assert _recipients("note_added") == [bo.id]
    (row,) = outbox(kind="note_added")
    assert row.params == {}  # the note's text stays out of the outbox


def test_a_conflict_tells_the_involved_users_except_the_one_whose_push_raised_it(factory):
    unit = factory.unit()
    pusher, other = factory.user(("staff", unit)), factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    act_as(db.session, pusher.id, "sync")

    db.session.add(
        Conflict(
            id=uuid.uuid4(),
            unit_id=unit.id,
            table_name="plan_items",
            row_id=item.id,
            field="goal",
            kind="edit_edit",
            server_version=2,
            server_value="A",
            server_user_id=other.id,
            client_value="B",
            client_id="device-1",
            user_id=pusher.id,
            involved_user_ids=sorted([str(pusher.id), str(other.id)]),
            detected_at=clock.now(),
            status="open",
        )
    )
    db.session.commit()

    (row,) = outbox(kind="conflict")
    assert (row.user_id, row.item_id) == (other.id, item.id)


def test_nobody_outside_the_unit_hears_about_it(client, factory):
    unit, other_unit = factory.unit(), factory.unit()
    outsider = factory.user(("staff", other_unit))
    plan = factory.plan(unit)

    # HVEM? naming an outsider cannot happen through the API; a direct write shows the
    # hook still refuses to tell them.
    factory.item(plan, responsible=[{"user_id": str(outsider.id)}])

    assert outbox() == []


def test_a_rolled_back_change_notifies_no_one(factory):
    unit = factory.unit()
    anna = factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))

    row = db.session.get(PlanItem, item.id)
    row.responsible = [{"user_id": str(anna.id)}]
    db.session.flush()
    assert [r.kind for r in outbox()] == ["assigned"]  # written in the change's transaction
    db.session.rollback()

    assert outbox() == []


def _sync_push(client, user, client_id, *mutations):
    from sync.protocol import SCHEMA_VERSION

    body = {"client_id": client_id, "schema_version": SCHEMA_VERSION, "mutations": list(mutations)}
    response = client.post("/api/sync/push", json=body, headers=login(client, user))
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")
    return response.json["results"]


def _edit(mutation_id, item, fields, base=None):
    return {
        "mutation_id": mutation_id,
        "table": "plan_items",
        "id": str(item.id),
        "op": "upsert",
        "base_version": 1,
        "fields": fields,
        **({"base": base} if base else {}),
    }


def test_the_sync_path_notifies_like_rest(client, factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    original = item.goal

    _sync_push(client, anna, "annas-phone", _edit(1, item, {"goal": "Annas"}))
    [result] = _sync_push(
        client,
        bo,
        "bos-phone",
        _edit(
            1,
            item,
            {"goal": "Bos", "responsible": [{"user_id": str(anna.id)}]},
            base={"goal": original},
        ),
    )

    assert result["status"] == "conflict"
    assert sorted((r.kind, r.user_id) for r in outbox()) == [
        ("assigned", anna.id),
        ("conflict", anna.id),
    ]


# ---- HVEM?'s second job: who follows the row up -------------------------------------------


def _named(*users):
    return [{"user_id": str(u.id)} for u in users]


def _told(kind):
    """(user, about) of each queued notice of ``kind``."""
    return sorted((row.user_id, row.params.get("about")) for row in outbox(kind=kind))


def test_users_named_to_follow_a_row_up_are_told_so_but_not_the_one_who_named_them(client, factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    anna, bo, cecilie = (factory.user(("staff", unit)) for _ in range(3))
    item = factory.item(factory.plan(unit), responsible=_named(anna))
    path = f"/api/items/{item.id}"
    for row in outbox():
        db.session.delete(row)
    db.session.commit()

    # Bo to follow up, the manager too (by themselves): only Bo is told.
    _patch(client, manager, path, {"follow_up_responsible": _named(bo, manager)})
    assert _told("assigned") == [(bo.id, "follow_up")]
    # Anna, who carries it out, now follows it up as well: new to that job, so told.
    _patch(client, manager, path, {"follow_up_responsible": _named(bo, manager, anna)})
    # Cecilie named for both jobs at once: told once, that she is responsible for the row.
    _patch(
        client,
        manager,
        path,
        {"responsible": _named(anna, cecilie), "follow_up_responsible": _named(bo, cecilie)},
    )

    assert _told("assigned") == sorted(
        [(bo.id, "follow_up"), (anna.id, "follow_up"), (cecilie.id, None)]
    )
    keys = [row.dedup_key for row in outbox(kind="assigned")]
    assert len(set(keys)) == len(keys)


def test_an_item_created_with_a_follow_up_person_tells_them_they_follow_it_up(factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))

    factory.item(
        factory.plan(unit),
        responsible=_named(anna),
        follow_up_responsible=[*_named(bo), {"name": "Familieplejen"}],
    )

    assert _told("assigned") == sorted([(anna.id, None), (bo.id, "follow_up")])


def test_a_note_tells_who_follows_the_row_up_too_never_its_author(client, factory):
    unit = factory.unit()
    anna, bo, cecilie = (factory.user(("staff", unit)) for _ in range(3))
    item = factory.item(
        factory.plan(unit),
        responsible=_named(anna, cecilie),
        follow_up_responsible=_named(bo, cecilie),
    )

    _post(client, anna, f"/api/items/{item.id}/notes", {"text": "Kursus afholdt"})
    # Cecilie (both jobs) once, as responsible; Bo as the one following it up.
    assert _told("note_added") == sorted([(cecilie.id, None), (bo.id, "follow_up")])
    for row in outbox(kind="note_added"):
        db.session.delete(row)
    db.session.commit()

    _post(client, bo, f"/api/items/{item.id}/notes", {"text": "Fulgt op på personalemødet"})

    assert _told("note_added") == sorted([(anna.id, None), (cecilie.id, None)])
    assert all(set(row.params) <= {"about"} for row in outbox(kind="note_added"))


def test_the_sync_path_tells_a_newly_named_follow_up_person(client, factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))

    _sync_push(client, anna, "annas-phone", _edit(1, item, {"follow_up_responsible": _named(bo)}))

    assert _told("assigned") == [(bo.id, "follow_up")]
