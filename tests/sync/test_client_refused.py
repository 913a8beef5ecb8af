"""The reference client keeps what the server refused (issue 20): a ``partial`` answer's refused
fields and a ``rejected`` mutation's fields stay on the device as a refused draft of the row,
with the reasons, until the user resends or discards it."""

from __future__ import annotations

import datetime
import uuid

import pytest

from server.extensions import db
from server.models import PlanItem, ProgressNote

END_BEFORE_START = "The end date comes before the start date."


@pytest.fixture
def team(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(plan, start_date=datetime.date(2026, 3, 1))
    return {
        "unit": unit,
        "plan": plan,
        "item": item,
        "anna": factory.user(("staff", unit)),
        "inspector": factory.user(("inspector", unit)),
    }


def stored_item(item_id):
    db.session.expire_all()
    return db.session.get(PlanItem, uuid.UUID(str(item_id)))


def test_a_partial_keeps_the_refused_field_and_a_resend_of_the_fix_goes_through(team, device):
    anna = device(team["anna"])
    anna.sync()
    item_id = str(team["item"].id)
    anna.update("plan_items", item_id, {"goal": "Ny praksis", "end_date": "2026-02-01"})
    [result] = anna.sync().results

    assert result["status"] == "partial"
    assert stored_item(item_id).goal == "Ny praksis"
    assert anna.get("plan_items", item_id)["goal"] == "Ny praksis"
    assert anna.get("plan_items", item_id)["end_date"] is None  # the server copy
    assert anna.status("plan_items", item_id) == "refused"
    [draft] = anna.refused()
    assert draft["fields"] == {"end_date": "2026-02-01"}
    assert draft["reasons"] == {"end_date": [END_BEFORE_START]}
    assert draft["error"] == "invalid_input"

    anna.resend("plan_items", item_id, {"end_date": "2026-06-30"})
    assert anna.status("plan_items", item_id) == "updated"
    assert anna.refused() == []
    [again] = anna.sync().results
    assert again["status"] == "applied"
    assert stored_item(item_id).end_date == datetime.date(2026, 6, 30)
    assert anna.status("plan_items", item_id) == "synced"


def test_a_rejected_create_is_kept_as_a_draft_and_survives_a_reset(team, device):
    anna = device(team["anna"])
    anna.sync()
    note_id = anna.create("progress_notes", {"item_id": str(team["item"].id), "text": "x" * 10_001})
    [result] = anna.sync().results

    assert result["status"] == "rejected"
    assert db.session.get(ProgressNote, uuid.UUID(note_id)) is None
    assert anna.get("progress_notes", note_id) is None  # the server has no copy
    assert anna.status("progress_notes", note_id) == "refused"
    anna._reset()
    anna.sync()
    [draft] = anna.refused()
    assert draft["op"] == "upsert" and draft["fields"]["text"] == "x" * 10_001
    assert list(draft["reasons"]) == ["text"]

    anna.resend("progress_notes", note_id, {"text": "Kortere notat"})
    assert anna.status("progress_notes", note_id) == "created"
    [again] = anna.sync().results
    assert again["status"] == "applied"
    db.session.expire_all()
    assert db.session.get(ProgressNote, uuid.UUID(note_id)).text == "Kortere notat"


def test_a_forbidden_edit_is_kept_until_discarded(team, device):
    inspector = device(team["inspector"])
    inspector.sync()
    item_id = str(team["item"].id)
    inspector.update("plan_items", item_id, {"goal": "Tilsynets udgave"})
    [result] = inspector.sync().results

    assert result["status"] == "rejected"
    [draft] = inspector.refused()
    assert draft["fields"] == {"goal": "Tilsynets udgave"}
    assert (draft["error"], draft["reasons"]) == ("forbidden", {})
    assert inspector.get("plan_items", item_id)["goal"] == "Alle kender reglerne"

    inspector.sync()
    assert inspector.refused() != []  # a sync never drops it
    inspector.discard("plan_items", item_id)
    assert inspector.refused() == []
    assert inspector.status("plan_items", item_id) == "synced"
    assert inspector.get("plan_items", item_id)["goal"] == "Alle kender reglerne"


def test_a_discarded_rejected_create_leaves_nothing(team, device):
    anna = device(team["anna"])
    anna.sync()
    note_id = anna.create("progress_notes", {"item_id": str(team["item"].id), "text": ""})
    anna.sync()
    assert anna.status("progress_notes", note_id) == "refused"
    anna.discard("progress_notes", note_id)
    assert anna.status("progress_notes", note_id) is None
    assert anna.refused() == []


def test_a_second_refusal_of_the_same_row_adds_to_the_draft(team, device):
    anna = device(team["anna"])
    anna.sync()
    item_id = str(team["item"].id)
    anna.update("plan_items", item_id, {"goal": "A", "end_date": "2026-02-01"})
    anna.sync()
    anna.update("plan_items", item_id, {"result": "B", "activities": "x" * 10_001})
    anna.sync()
    [draft] = anna.refused()
    assert draft["fields"] == {"end_date": "2026-02-01", "activities": "x" * 10_001}
    assert set(draft["reasons"]) == {"end_date", "activities"}
