"""The dialogue on a plan over REST and sync: who writes and reads a thread (the unit's staff
and managers, the inspectors who follow it; nobody else), append-only, the scope of a pull,
and the inspectors' comments of before carried into the row's thread."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import PlanMessage
from tests.helpers import assert_error, login
from tests.sync.test_push_api import delete, results, upsert


@pytest.fixture
def scene(factory):
    unit = factory.unit(name="Lærken")
    other = factory.unit(name="Andet")
    plan = factory.plan(unit)
    return {
        "unit": unit,
        "plan": plan,
        "item": factory.item(plan),
        "inspector": factory.user(("inspector", unit)),
        "manager": factory.user(("manager", unit)),
        "staff": factory.user(("staff", unit)),
        "admin": factory.user(("admin", unit)),
        "outsider": factory.user(("inspector", other), ("manager", other), ("staff", other)),
    }


def _post(client, user, path, body):
    return client.post(path, json=body, headers=login(client, user))


def _get(client, user, path):
    return client.get(path, headers=login(client, user))


@pytest.mark.parametrize("who", ["inspector", "manager", "staff"])
def test_the_unit_and_its_inspectors_write_and_read_a_row_thread(client, scene, who):
    path = f"/api/items/{scene['item'].id}/messages"
    response = _post(client, scene[who], path, {"body": "Hvordan går det med aftenerne?"})

    assert response.status_code == 201, response.json
    assert response.json["author_id"] == str(scene[who].id)
    assert response.json["side"] == ("inspectorate" if who == "inspector" else "provider")
    assert response.json["plan_id"] == str(scene["plan"].id)
    for reader in ("inspector", "manager", "staff"):
        bodies = [m["body"] for m in _get(client, scene[reader], path).json]
        assert bodies == ["Hvordan går det med aftenerne?"]
    stored = db.session.get(PlanMessage, uuid.UUID(response.json["id"]))
    assert (stored.unit_id, stored.item_id) == (scene["unit"].id, scene["item"].id)


def test_an_inspector_and_a_manager_answer_each_other_on_the_whole_plan(client, scene):
    path = f"/api/plans/{scene['plan'].id}/messages"
    for who, body in (("inspector", "Planen mangler frister."), ("manager", "Tilføjet i punkt 2.")):
        assert _post(client, scene[who], path, {"body": body}).status_code == 201
    row = f"/api/items/{scene['item'].id}/messages"
    assert _post(client, scene["staff"], row, {"body": "Om punktet"}).status_code == 201

    own = _get(client, scene["staff"], path).json
    assert [(m["body"], m["side"], m["item_id"]) for m in own] == [
        ("Planen mangler frister.", "inspectorate", None),
        ("Tilføjet i punkt 2.", "provider", None),
    ]
    every = _get(client, scene["staff"], path + "?thread=every").json
    assert [m["body"] for m in every] == [m["body"] for m in own] + ["Om punktet"]


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_nobody_else_reads_or_writes_a_thread(client, scene, who):
    for path in (
        f"/api/items/{scene['item'].id}/messages",
        f"/api/plans/{scene['plan'].id}/messages",
    ):
        _post(client, scene["manager"], path, {"body": "Internt"})
        read = _get(client, scene[who], path)
        write = _post(client, scene[who], path, {"body": "Hej"})
        assert_error(read, 404, "not_found")
        assert_error(write, 404, "not_found")
    assert {m.author_id for m in db.session.query(PlanMessage)} == {scene["manager"].id}


def test_a_message_is_bounded_text(client, scene):
    path = f"/api/plans/{scene['plan'].id}/messages"
    assert_error(_post(client, scene["manager"], path, {"body": ""}), 422, "invalid_input", "body")
    too_long = _post(client, scene["manager"], path, {"body": "x" * 4001})
    assert_error(too_long, 422, "invalid_input", "body")
    control = _post(client, scene["manager"], path, {"body": "bip\x07"})
    assert_error(control, 422, "invalid_input", "body")
    author = _post(client, scene["manager"], path, {"body": "Hej", "author_id": str(uuid.uuid4())})
    assert_error(author, 422, "invalid_input", "author_id")
    assert db.session.query(PlanMessage).count() == 0


def test_an_archived_plans_dialogue_is_closed(client, scene, factory):
    plan = factory.plan(scene["unit"], state="archived")
    response = _post(client, scene["inspector"], f"/api/plans/{plan.id}/messages", {"body": "Hej"})
    assert_error(response, 409, "invalid_state")


def test_messages_sync_append_only_each_under_its_own_author(scene, api):
    inspector, manager = api(scene["inspector"]), api(scene["manager"])
    question, answer = uuid.uuid4(), uuid.uuid4()
    item, plan = str(scene["item"].id), str(scene["plan"].id)

    asked = results(
        inspector.push(
            [
                upsert(
                    1,
                    "plan_messages",
                    question,
                    {
                        "plan_id": plan,
                        "item_id": item,
                        "body": "Er vagtplanen ændret?",
                        "created_at": "2026-03-02T19:05:00+00:00",
                    },
                )
            ]
        )
    )
    answered = results(
        manager.push(
            [
                upsert(1, "plan_messages", answer, {"plan_id": plan, "body": "Ja, fra 1. april."}),
                upsert(2, "plan_messages", question, {"body": "Omskrevet"}, 1, {}),
                delete(3, "plan_messages", question, 1),
                upsert(4, "plan_messages", uuid.uuid4(), {"plan_id": plan, "author_id": plan}),
            ]
        )
    )

    assert asked[0]["status"] == "applied"
    assert [r["status"] for r in answered] == ["applied", "duplicate", "rejected", "rejected"]
    db.session.expire_all()
    first = db.session.get(PlanMessage, question)
    assert (first.body, first.author_id, first.side) == (
        "Er vagtplanen ændret?",
        scene["inspector"].id,
        "inspectorate",
    )
    second = db.session.get(PlanMessage, answer)
    assert (second.item_id, second.author_id, second.side) == (
        None,
        scene["manager"].id,
        "provider",
    )


def test_a_pull_gives_the_threads_to_the_unit_and_its_inspectors_only(scene, api, client):
    _post(client, scene["inspector"], f"/api/plans/{scene['plan'].id}/messages", {"body": "Hej"})

    def messages_pulled(user):
        changes, _ = api(user).pull_all()
        return [c for c in changes if c["table"] == "plan_messages"]

    for reader in ("inspector", "manager", "staff"):
        [pulled] = messages_pulled(scene[reader])
        assert pulled["fields"]["body"] == "Hej"
        assert pulled["fields"]["author_id"] == str(scene["inspector"].id)
    assert messages_pulled(scene["outsider"]) == []
    assert messages_pulled(scene["admin"]) == []


def test_an_outsider_cannot_push_into_another_units_thread(scene, api):
    got = results(
        api(scene["outsider"]).push(
            [upsert(1, "plan_messages", uuid.uuid4(), _about(scene["plan"]))]
        )
    )
    assert got[0]["status"] == "rejected"
    assert db.session.query(PlanMessage).count() == 0


def _about(plan):
    return {"plan_id": str(plan.id), "body": "Hej"}


def test_an_inspectors_comment_lands_in_the_rows_thread(client, scene):
    item = scene["item"]
    path = f"/api/items/{item.id}/comments"
    comment = _post(client, scene["inspector"], path, {"text": "Bemærk"})
    assert comment.status_code == 201, comment.json

    [message] = _get(client, scene["staff"], f"/api/items/{item.id}/messages").json
    assert (message["id"], message["body"], message["side"]) == (
        comment.json["id"],
        "Bemærk",
        "inspectorate",
    )
