"""Who hears of the dialogue and of what the inspectorate follows: each message tells the other
side; inspectors hear of submission, approval, changes after approval and a påbud's row done;
managers hear of new findings. Never the author, never anyone outside the unit, and never the
words themselves."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models.versioning import act_as
from server.push.messages import render_payload
from tests.helpers import login
from tests.push.conftest import outbox
from tests.server.visit_helpers import cast, post_finding, post_visit


@pytest.fixture
def scene(client, factory):
    c = cast(client, factory)
    other = factory.unit(name="Andet")
    return {
        "cast": c,
        "unit": c.unit,
        "inspector": c.inspector,
        "manager": c.manager,
        "staff": c.staff,
        "colleague": factory.user(("inspector", c.unit)),
        "responsible": factory.user(("staff", c.unit)),
        "outsider": factory.user(("inspector", other), ("manager", other)),
    }


def _send(client, user, path, body=None):
    response = client.post(path, json=body, headers=login(client, user))
    assert response.status_code in (200, 201), response.json
    act_as(db.session, None, "cli")
    return response


def _recipients(kind):
    return sorted(row.user_id for row in outbox(kind=kind))


def test_an_inspectors_message_tells_the_managers_and_the_rows_responsible_users(
    client, scene, factory
):
    item = factory.item(
        factory.plan(scene["unit"]), responsible=[{"user_id": str(scene["responsible"].id)}]
    )

    _send(client, scene["inspector"], f"/api/items/{item.id}/messages", {"body": "Tidsplan?"})

    assert _recipients("message_added") == sorted([scene["manager"].id, scene["responsible"].id])
    (row, _) = outbox(kind="message_added")
    assert (row.plan_id, row.item_id, row.params) == (item.plan_id, item.id, {})


def test_an_inspectors_message_on_a_row_tells_who_follows_it_up_too(client, scene, factory):
    follower = factory.user(("staff", scene["unit"]))
    item = factory.item(
        factory.plan(scene["unit"]),
        responsible=[{"user_id": str(scene["responsible"].id)}],
        follow_up_responsible=[
            {"user_id": str(follower.id)},
            {"user_id": str(scene["responsible"].id)},  # both jobs: told once, as responsible
            {"user_id": str(scene["manager"].id)},  # a manager hears of it as one
        ],
    )

    _send(client, scene["inspector"], f"/api/items/{item.id}/messages", {"body": "Status?"})

    told = sorted((r.user_id, r.params.get("about")) for r in outbox(kind="message_added"))
    assert told == sorted(
        [(scene["manager"].id, None), (scene["responsible"].id, None), (follower.id, "follow_up")]
    )
    about = {"about": "follow_up"}
    titles = {
        lang: render_payload("message_added", lang, item.plan_id, item.id, about)["title"]
        for lang in ("da", "sv")
    }
    assert titles == {
        "da": "Ny besked fra tilsynet om en indsats, du følger op på",
        "sv": "Nytt meddelande från tillsynen om en åtgärd du följer upp",
    }


def test_a_providers_message_tells_the_inspectors_following_the_unit(client, scene, factory):
    plan = factory.plan(scene["unit"])

    _send(client, scene["staff"], f"/api/plans/{plan.id}/messages", {"body": "Svar"})

    assert _recipients("message_added") == sorted([scene["inspector"].id, scene["colleague"].id])
    assert {(r.plan_id, r.item_id) for r in outbox(kind="message_added")} == {(plan.id, None)}


def test_an_inspectors_message_on_the_plan_tells_the_managers_but_not_another_inspector(
    client, scene, factory
):
    plan = factory.plan(scene["unit"])

    _send(client, scene["inspector"], f"/api/plans/{plan.id}/messages", {"body": "Hej"})

    assert _recipients("message_added") == [scene["manager"].id]


def test_a_message_pushed_through_sync_notifies_like_rest(client, scene, factory, api):
    import uuid

    from tests.sync.test_push_api import results, upsert

    plan = factory.plan(scene["unit"])
    got = results(
        api(scene["manager"]).push(
            [upsert(1, "plan_messages", uuid.uuid4(), {"plan_id": str(plan.id), "body": "Hej"})]
        )
    )
    assert got[0]["status"] == "applied"
    assert _recipients("message_added") == sorted([scene["inspector"].id, scene["colleague"].id])


def test_inspectors_hear_of_submission_approval_and_changes_after_approval(client, scene, factory):
    plan = factory.plan(scene["unit"])
    item = factory.item(plan)
    approver = factory.user(("manager", scene["unit"]))
    inspectors = sorted([scene["inspector"].id, scene["colleague"].id])

    _send(client, scene["manager"], f"/api/plans/{plan.id}/submit")
    assert _recipients("followed_submitted") == inspectors
    _send(client, approver, f"/api/plans/{plan.id}/approve")
    assert _recipients("followed_approved") == inspectors
    assert _recipients("followed_changed") == []

    headers = login(client, scene["staff"])
    assert (
        client.patch(f"/api/items/{item.id}", json={"goal": "Nyt"}, headers=headers).status_code
        == 200
    )
    assert (
        client.patch(f"/api/items/{item.id}", json={"goal": "Igen"}, headers=headers).status_code
        == 200
    )
    # Progress on a row is not a change of the plan.
    _send(
        client,
        scene["staff"],
        f"/api/items/{item.id}/notes",
        {"text": "Godt", "new_state": "in_progress"},
    )

    # Once a day per plan and inspector, however many edits.
    assert _recipients("followed_changed") == inspectors
    assert {r.plan_id for r in outbox(kind="followed_changed")} == {plan.id}


def test_a_draft_changing_tells_no_inspector_until_it_is_approved(client, scene, factory):
    plan = factory.plan(scene["unit"])
    item = factory.item(plan)
    headers = login(client, scene["staff"])

    def edit(goal):
        response = client.patch(f"/api/items/{item.id}", json={"goal": goal}, headers=headers)
        assert response.status_code == 200

    edit("Nyt")
    assert _recipients("followed_changed") == []
    _send(client, scene["manager"], f"/api/plans/{plan.id}/submit")
    _send(client, factory.user(("manager", scene["unit"])), f"/api/plans/{plan.id}/approve")
    edit("Efter godkendelsen")
    assert _recipients("followed_changed") == sorted([scene["inspector"].id, scene["colleague"].id])


def test_a_new_paabud_tells_the_managers_and_its_row_done_tells_the_inspectors(
    client, scene, factory
):
    c = scene["cast"]
    visit = post_visit(client, c)
    observation = post_finding(client, c, visit)
    paabud = post_finding(client, c, visit, kind="paabud", deadline="2026-05-01")
    act_as(db.session, None, "cli")
    assert _recipients("finding_added") == [scene["manager"].id]
    assert _recipients("paabud_added") == [scene["manager"].id]
    assert observation["id"] != paabud["id"]

    plan = factory.plan(scene["unit"])
    made = _send(
        client, scene["manager"], f"/api/findings/{paabud['id']}/to-item", {"plan_id": str(plan.id)}
    )
    item_id = made.json["id"]
    _send(
        client,
        scene["staff"],
        f"/api/items/{item_id}/notes",
        {"text": "Gjort", "new_state": "done"},
    )

    assert _recipients("paabud_item_done") == sorted([scene["inspector"].id, scene["colleague"].id])
    (row, _) = outbox(kind="paabud_item_done")
    assert str(row.item_id) == item_id


def test_only_a_row_answering_a_paabud_tells_the_inspectors_it_is_done(client, scene, factory):
    c = scene["cast"]
    plan = factory.plan(scene["unit"])
    ordinary = factory.item(plan)
    visit = post_visit(client, c)
    paabud = post_finding(client, c, visit, kind="paabud", deadline="2026-05-01")
    made = _send(
        client, scene["manager"], f"/api/findings/{paabud['id']}/to-item", {"plan_id": str(plan.id)}
    )
    for item_id in (str(ordinary.id), made.json["id"]):
        _send(
            client,
            scene["staff"],
            f"/api/items/{item_id}/notes",
            {"text": "Gjort", "new_state": "done"},
        )
    assert {str(r.item_id) for r in outbox(kind="paabud_item_done")} == {made.json["id"]}


def test_no_notice_reaches_outside_the_unit(client, scene, factory):
    plan = factory.plan(scene["unit"])
    _send(client, scene["staff"], f"/api/plans/{plan.id}/messages", {"body": "Svar"})
    _send(client, scene["manager"], f"/api/plans/{plan.id}/submit")
    told = {r.user_id for r in outbox()}
    assert {scene["inspector"].id, scene["colleague"].id} <= told
    assert scene["outsider"].id not in told


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("da", "Ny besked i dialogen om en opfølgningsplan"),
        ("sv", "Nytt meddelande i dialogen om en handlingsplan"),
        ("en", "New message in the dialogue on a follow-up plan"),
    ],
)
def test_a_message_notice_is_a_title_in_the_readers_language_and_a_link(app, lang, title):
    import uuid

    item = uuid.uuid4()
    with app.app_context():  # the titles come from the app's catalogues (gettext)
        payload = render_payload("message_added", lang, uuid.uuid4(), item)
    assert payload == {
        "title": title,
        "url": f"/#/items/{item}",
        "kind": "message_added",
        "lang": lang,
    }


def test_rows_pushed_in_one_sync_batch_into_an_approved_plan_tell_the_inspectors(
    client, scene, factory, api
):
    import uuid

    from tests.sync.test_push_api import results, upsert

    plan = factory.plan(scene["unit"])
    _send(client, scene["manager"], f"/api/plans/{plan.id}/submit")
    _send(client, factory.user(("manager", scene["unit"])), f"/api/plans/{plan.id}/approve")
    # Rows with their priority and nobody in HVEM?: the batch may insert them in bulk.
    rows = [
        upsert(
            n, "plan_items", uuid.uuid4(), {"plan_id": str(plan.id), "priority": n, "topic": "Ny"}
        )
        for n in (1, 2)
    ]
    assert [r["status"] for r in results(api(scene["staff"]).push(rows))] == ["applied", "applied"]
    assert _recipients("followed_changed") == sorted([scene["inspector"].id, scene["colleague"].id])
