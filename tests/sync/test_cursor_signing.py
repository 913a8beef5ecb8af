"""The pull cursor is signed for its user (issue 22, finding 7), on both databases.

The cursor's scope decides which units a pull rescans; an edited one could name a foreign
unit and have every row of it listed (as deletes). So a cursor that does not verify gets
``410 reset_required`` (``reason: unverified``), and an unsigned one is honoured only where it
could not reach further than the user's scope now.
"""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import Membership
from sync.protocol import READ, SEE, Cursor
from tests.helpers import assert_error

# A signed cursor is "<cursor>.<signature>" (docs/sync-protocol.md, section 8).
SIGNATURE_SEPARATOR = "."


@pytest.fixture
def two_units(factory):
    mine, foreign = factory.unit(name="Egen"), factory.unit(name="Fremmed")
    staff = factory.user(("staff", mine))
    factory.item(factory.plan(mine))
    foreign_plan = factory.plan(foreign)
    for n in range(3):
        factory.item(foreign_plan, priority=n + 1)
    return {"mine": mine, "foreign": foreign, "staff": staff}


def edited(cursor_text: str, *, keep_signature: bool, **changes) -> str:
    payload, _, signature = cursor_text.partition(SIGNATURE_SEPARATOR)
    cursor = Cursor.decode(payload)
    for name, value in changes.items():
        setattr(cursor, name, value)
    text = cursor.encode()
    return text + SIGNATURE_SEPARATOR + signature if keep_signature and signature else text


@pytest.mark.parametrize("keep_signature", [True, False], ids=["stale-signature", "unsigned"])
def test_a_cursor_naming_a_foreign_unit_lists_none_of_its_rows(two_units, api, keep_signature):
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    foreign = str(two_units["foreign"].id)
    scope = {**Cursor.decode(cursor.partition(SIGNATURE_SEPARATOR)[0]).scope, foreign: SEE + READ}
    forged = edited(cursor, keep_signature=keep_signature, scope=scope)

    response = reader.pull(forged)

    body = assert_error(response, 410, "reset_required")
    assert body["reason"] == "unverified"
    assert "changes" not in body


def test_a_cursor_asking_to_rescan_a_foreign_unit_is_refused(two_units, api):
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    forged = edited(cursor, keep_signature=False, rescan=[str(two_units["foreign"].id)])
    assert assert_error(reader.pull(forged), 410, "reset_required")["reason"] == "unverified"


def test_another_users_cursor_does_not_verify(two_units, api, factory):
    foreign_staff = factory.user(("staff", two_units["foreign"]))
    _, their_cursor = api(foreign_staff).pull_all()
    response = api(two_units["staff"]).pull(their_cursor)
    assert assert_error(response, 410, "reset_required")["reason"] == "unverified"


def test_pulls_answer_signed_cursors_that_keep_working(two_units, api, factory):
    reader = api(two_units["staff"])
    changes, cursor = reader.pull_all()
    assert SIGNATURE_SEPARATOR in cursor
    item = factory.item(factory.plan(two_units["mine"]))
    changes, _ = reader.pull_all(cursor)
    assert str(item.id) in {c["id"] for c in changes}


def test_an_unsigned_cursor_from_before_signing_still_works_while_the_scope_holds(
    two_units, api, factory
):
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    legacy = cursor.partition(SIGNATURE_SEPARATOR)[0]  # as devices in the field hold them
    item = factory.item(factory.plan(two_units["mine"]))

    response = reader.pull(legacy)

    assert response.status_code == 200, response.json
    assert str(item.id) in {c["id"] for c in response.json["changes"]}
    assert SIGNATURE_SEPARATOR in response.json["cursor"]


def test_an_unsigned_cursor_after_a_change_of_scope_gets_reset_required(two_units, api):
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    db.session.add(
        Membership(user_id=two_units["staff"].id, unit_id=two_units["foreign"].id, role="staff")
    )
    db.session.commit()
    legacy = cursor.partition(SIGNATURE_SEPARATOR)[0]
    assert assert_error(reader.pull(legacy), 410, "reset_required")["reason"] == "unverified"
    # A signed cursor takes the same change as a rescan, without a reset.
    changes, _ = reader.pull_all(cursor)
    assert len({c["id"] for c in changes if c["table"] == "plan_items"}) == 3


def test_a_hand_edited_cursor_with_a_unit_id_that_is_no_uuid_is_refused(two_units, api):
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    for changes in ({"rescan": ["not-a-uuid"]}, {"scope": {"not-a-uuid": "sr"}}):
        forged = edited(cursor, keep_signature=False, **changes)
        assert_error(reader.pull(forged), 422, "invalid_input", "cursor")


def test_a_changed_secret_key_resets_devices_which_then_sync_as_before(
    app, two_units, device, factory, monkeypatch
):
    tablet = device(two_units["staff"])
    tablet.sync()
    held = set(tablet.rows("plan_items"))
    monkeypatch.setitem(app.config, "SECRET_KEY", "rotated")  # the app outlives this test
    later = factory.item(factory.plan(two_units["mine"]))

    report = tablet.sync()

    assert report.resets == 1
    assert set(tablet.rows("plan_items")) == held | {str(later.id)}
    assert tablet.sync().resets == 0


def test_without_a_secret_key_cursors_are_unsigned_and_a_scope_change_resets(
    app, two_units, api, monkeypatch
):
    monkeypatch.setitem(app.config, "SECRET_KEY", None)
    reader = api(two_units["staff"])
    _, cursor = reader.pull_all()
    assert SIGNATURE_SEPARATOR not in cursor
    assert reader.pull(cursor).status_code == 200
    db.session.add(
        Membership(user_id=two_units["staff"].id, unit_id=two_units["foreign"].id, role="staff")
    )
    db.session.commit()
    assert assert_error(reader.pull(cursor), 410, "reset_required")["reason"] == "unverified"
    changes, _ = reader.pull_all(None)
    assert len({c["id"] for c in changes if c["table"] == "plan_items"}) == 4
