"""The reference client against the app: offline edits, sync, conflicts, lost messages."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from server import clock
from server.extensions import db
from server.models import Membership, PlanItem, ProgressNote
from sync.transport import TransportError


@pytest.fixture
def team(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    return {
        "unit": unit,
        "plan": plan,
        "item": factory.item(plan),
        "anna": factory.user(("staff", unit)),
        "bo": factory.user(("staff", unit)),
    }


def server_items(plan):
    db.session.expire_all()
    return {
        str(i.id): i.goal
        for i in db.session.query(PlanItem).filter_by(plan_id=plan.id, deleted=False)
    }


def test_offline_creates_and_edits_reach_the_other_device(team, device):
    anna, bo = device(team["anna"]), device(team["bo"])
    anna.sync(), bo.sync()
    item_id = str(team["item"].id)

    new_id = anna.create("plan_items", {"plan_id": str(team["plan"].id), "goal": "Offline"})
    anna.update("plan_items", new_id, {"goal": "Offline, rettet"})
    anna.update("plan_items", item_id, {"result": "Annas resultat"})
    assert anna.status("plan_items", new_id) == "created"
    assert anna.status("plan_items", item_id) == "updated"
    anna.sync()
    bo.sync()

    assert anna.status("plan_items", new_id) == "synced"
    assert bo.get("plan_items", new_id)["goal"] == "Offline, rettet"
    assert bo.get("plan_items", item_id)["result"] == "Annas resultat"
    assert server_items(team["plan"])[new_id] == "Offline, rettet"
    assert anna.rows("plan_items") == bo.rows("plan_items")


def test_a_same_field_conflict_reaches_both_and_is_resolved_from_a_device(team, device):
    anna, bo = device(team["anna"]), device(team["bo"])
    anna.sync(), bo.sync()
    item_id = str(team["item"].id)
    anna.update("plan_items", item_id, {"goal": "Annas"})
    bo.update("plan_items", item_id, {"goal": "Bos"})
    anna.sync()
    bo.sync()

    # Bo's device now shows the server value and holds the conflict.
    assert bo.get("plan_items", item_id)["goal"] == "Annas"
    [(conflict_id, conflict)] = bo.rows("conflicts").items()
    assert (conflict["server_value"], conflict["client_value"]) == ("Annas", "Bos")
    anna.sync()
    assert conflict_id in anna.rows("conflicts")

    bo.resolve(conflict_id, "client")
    bo.sync(), anna.sync()
    assert anna.get("plan_items", item_id)["goal"] == "Bos"
    assert anna.get("conflicts", conflict_id)["status"] == "resolved"


def test_a_lost_push_response_is_retried_without_applying_twice(team, lossy_device):
    anna = lossy_device(team["anna"])
    anna.sync()
    note_id = anna.create("progress_notes", {"item_id": str(team["item"].id), "text": "Møde holdt"})
    item_id = anna.create("plan_items", {"plan_id": str(team["plan"].id), "goal": "Ny"})
    anna.transport.lose("/push", "response")
    with pytest.raises(TransportError):
        anna.push()
    assert anna.pending_count() == 2  # still in the outbox: the client cannot know

    anna.sync()

    statuses = [r["status"] for _, r in anna.acknowledged]
    assert statuses == ["duplicate", "duplicate"]
    assert anna.pending_count() == 0
    assert db.session.query(ProgressNote).filter_by(id=uuid.UUID(note_id)).count() == 1
    assert anna.get("plan_items", item_id)["goal"] == "Ny"
    assert anna.status("plan_items", item_id) == "synced"


def test_a_lost_pull_response_moves_no_cursor(team, lossy_device, factory):
    anna = lossy_device(team["anna"])
    anna.sync()
    later = factory.item(team["plan"], goal="Senere")
    anna.transport.lose("/pull", "response")
    with pytest.raises(TransportError):
        anna.pull()
    anna.pull()
    assert anna.get("plan_items", str(later.id))["goal"] == "Senere"


def test_reset_required_keeps_the_outbox(app, team, factory, client, monkeypatch, tmp_path):
    from sync.client import Client
    from tests.helpers import login
    from tests.sync.conftest import FlaskTransport

    path = str(tmp_path / "anna.sqlite3")
    anna = Client(FlaskTransport(client, login(client, team["anna"])), path)
    anna.sync()
    item_id = str(team["item"].id)
    anna.update("plan_items", item_id, {"result": "Skrevet offline"})
    later = clock.now() + timedelta(days=app.config["TOMBSTONE_RETENTION_DAYS"])
    monkeypatch.setattr(clock, "now", lambda: later)
    anna.db.close()
    anna = Client(FlaskTransport(client, login(client, team["anna"])), path)

    report = anna.sync()

    assert report.resets == 1
    assert anna.get("plan_items", item_id)["result"] == "Skrevet offline"
    assert anna.status("plan_items", item_id) == "synced"
    db.session.expire_all()
    assert db.session.get(PlanItem, team["item"].id).result == "Skrevet offline"
    anna.db.close()


def test_losing_a_unit_empties_it_on_the_device(team, device, factory):
    other = factory.unit()
    other_plan = factory.plan(other)
    db.session.add(Membership(user_id=team["anna"].id, unit_id=other.id, role="staff"))
    db.session.commit()
    anna = device(team["anna"])
    anna.sync()
    assert str(other_plan.id) in anna.rows("plans")

    db.session.query(Membership).filter_by(user_id=team["anna"].id, unit_id=other.id).delete()
    db.session.commit()
    anna.sync()

    assert str(other_plan.id) not in anna.rows("plans")
    assert str(other.id) not in anna.rows("units")
    assert str(team["plan"].id) in anna.rows("plans")


def test_deleting_offline_while_another_edits(team, device):
    anna, bo = device(team["anna"]), device(team["bo"])
    anna.sync(), bo.sync()
    item_id = str(team["item"].id)
    anna.delete("plan_items", item_id)
    bo.update("plan_items", item_id, {"goal": "Bos"})
    anna.sync()
    bo.sync()
    anna.sync()

    assert anna.get("plan_items", item_id) is None
    assert bo.get("plan_items", item_id) is None
    [conflict] = bo.rows("conflicts").values()
    assert conflict["kind"] == "delete_edit" and conflict["client_value"] == {"goal": "Bos"}
