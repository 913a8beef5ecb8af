"""Restoring a row after a delete/edit conflict: the edit made offline is not only kept in the
conflict, it can bring the item back (resolution "restore"), on every device."""

from __future__ import annotations

import uuid

import pytest

from server import clock
from server.extensions import db
from server.models import Conflict, Plan, PlanItem, ProgressNote
from tests.helpers import login


@pytest.fixture
def team(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(plan, goal="Som det var")
    anna = factory.user(("staff", unit))
    db.session.commit()
    return {
        "unit": unit,
        "plan": plan,
        "item": item,
        "note": factory.note(item, anna, text="Første skridt"),
        "anna": anna,
        "bo": factory.user(("staff", unit)),
        "carl": factory.user(("staff", factory.unit())),
    }


def _reload(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _delete_edit_conflict(team, device):
    """Anna deletes the item offline while Bo edits it offline; Bo's edit becomes a conflict."""
    anna, bo = device(team["anna"]), device(team["bo"])
    anna.sync(), bo.sync()
    item_id = str(team["item"].id)
    anna.delete("plan_items", item_id)
    bo.update("plan_items", item_id, {"goal": "Bos nye mål"})
    anna.sync(), bo.sync()
    [(conflict_id, conflict)] = bo.rows("conflicts").items()
    assert conflict["kind"] == "delete_edit"
    return anna, bo, {**conflict, "id": conflict_id}


def test_restore_brings_the_item_back_with_the_edit_on_every_device(team, device):
    anna, bo, conflict = _delete_edit_conflict(team, device)
    item_id = str(team["item"].id)
    assert bo.get("plan_items", item_id) is None

    bo.update("conflicts", conflict["id"], {"status": "resolved", "resolution": "restore"})
    bo.sync(), anna.sync()

    item = _reload(PlanItem, team["item"].id)
    assert not item.deleted and item.goal == "Bos nye mål"
    # The notes its delete took along come back with it.
    assert not _reload(ProgressNote, team["note"].id).deleted
    for device_ in (anna, bo):
        assert device_.get("plan_items", item_id)["goal"] == "Bos nye mål"
        assert str(team["note"].id) in device_.rows("progress_notes")
    resolved = _reload(Conflict, uuid.UUID(conflict["id"]))
    assert (resolved.status, resolved.resolution, resolved.resolved_value) == (
        "resolved",
        "restore",
        {"goal": "Bos nye mål"},
    )


def test_restore_over_rest_and_what_it_refuses(team, device, client, factory):
    _, _, conflict = _delete_edit_conflict(team, device)
    url = f"/api/sync/conflicts/{conflict['id']}/resolve"

    # Someone not involved and not a manager of the unit does not find the conflict.
    response = client.post(url, json={"resolution": "restore"}, headers=login(client, team["carl"]))
    assert response.status_code == 404
    # A delete/edit conflict takes no value of its own.
    response = client.post(url, json={"resolution": "client"}, headers=login(client, team["bo"]))
    assert response.status_code == 409 and "restore" in response.json["message"]
    # The plan went meanwhile: the item cannot come back, and the conflict stays open.
    team["plan"].deleted = True
    db.session.commit()
    response = client.post(url, json={"resolution": "restore"}, headers=login(client, team["bo"]))
    assert response.status_code == 409 and "plan" in response.json["message"]
    assert _reload(Conflict, uuid.UUID(conflict["id"])).status == "open"
    assert _reload(PlanItem, team["item"].id).deleted

    team["plan"].deleted = False
    db.session.commit()
    response = client.post(url, json={"resolution": "restore"}, headers=login(client, team["bo"]))
    assert response.status_code == 200, response.json
    assert response.json["resolution"] == "restore"
    assert _reload(PlanItem, team["item"].id).goal == "Bos nye mål"


def test_only_a_delete_edit_conflict_restores(team, device, client):
    anna, bo = device(team["anna"]), device(team["bo"])
    anna.sync(), bo.sync()
    item_id = str(team["item"].id)
    anna.update("plan_items", item_id, {"goal": "Annas"})
    bo.update("plan_items", item_id, {"goal": "Bos"})
    anna.sync(), bo.sync()
    [(conflict_id, conflict)] = bo.rows("conflicts").items()
    assert conflict["kind"] == "edit_edit"

    url = f"/api/sync/conflicts/{conflict_id}/resolve"
    response = client.post(url, json={"resolution": "restore"}, headers=login(client, team["bo"]))
    assert response.status_code == 409 and response.json["error"] == "invalid_state"


def test_rows_without_a_restore_say_so(team, client, factory):
    """Only plan items come back; other deleted rows keep "server" as their only close."""
    manager = factory.user(("manager", team["unit"]))
    draft = factory.plan(team["unit"], title="Kladde")
    draft.deleted = True
    conflict = Conflict(
        id=uuid.uuid4(),
        unit_id=team["unit"].id,
        table_name="plans",
        row_id=draft.id,
        kind="delete_edit",
        server_version=2,
        client_value={"title": "Ny titel"},
        client_id="device-x",
        user_id=manager.id,
        involved_user_ids=[str(manager.id)],
        detected_at=clock.now(),
    )
    db.session.add(conflict)
    db.session.commit()
    url = f"/api/sync/conflicts/{conflict.id}/resolve"
    response = client.post(url, json={"resolution": "restore"}, headers=login(client, manager))
    assert response.status_code == 409 and "cannot be restored" in response.json["message"]
    assert _reload(Plan, draft.id).deleted
    assert _reload(Conflict, conflict.id).status == "open"
