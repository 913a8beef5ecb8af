"""The merge rules on plain values: no database, no HTTP."""

import pytest

from sync.merge import decide_delete, decide_update
from sync.protocol import APPLIED, CONFLICT, MERGED, Cursor, InvalidCursor, scope_changes

ROW = {"goal": "Alle kender reglerne", "topic": "Magtanvendelse", "result": None}
# The row is at version 3: goal changed at 3, topic at 2, result never since creation.
VERSIONS = {"goal": 3, "topic": 2, "result": 1}


def decide(fields, base_version, base=None):
    return decide_update(
        server_values=ROW,
        field_versions=VERSIONS,
        server_version=3,
        base_version=base_version,
        fields=fields,
        base=base,
    )


def test_edit_from_the_current_version_applies():
    decision = decide({"goal": "Ny"}, base_version=3)
    assert decision.apply == {"goal": "Ny"}
    assert decision.status == APPLIED


def test_stale_base_with_disjoint_fields_merges():
    decision = decide({"result": "Gennemført"}, base_version=2)
    assert decision.apply == {"result": "Gennemført"}
    assert decision.conflicts == []
    assert decision.status == MERGED


def test_same_field_changed_on_both_sides_conflicts_and_keeps_server_value():
    decision = decide({"goal": "Klientens mål"}, base_version=2, base={"goal": "Gammelt mål"})
    assert decision.apply == {}
    assert decision.status == CONFLICT
    [conflict] = decision.conflicts
    assert (conflict.field, conflict.base_value) == ("goal", "Gammelt mål")
    assert (conflict.server_value, conflict.client_value) == (ROW["goal"], "Klientens mål")
    assert conflict.server_field_version == 3


def test_conflicting_and_clean_fields_in_one_mutation():
    decision = decide({"goal": "X", "result": "Y"}, base_version=2)
    assert decision.apply == {"result": "Y"}
    assert [c.field for c in decision.conflicts] == ["goal"]
    assert decision.status == CONFLICT


def test_same_value_on_both_sides_is_no_conflict():
    decision = decide({"goal": ROW["goal"]}, base_version=1)
    assert decision.apply == {} and decision.conflicts == []
    assert decision.status == APPLIED


def test_base_value_equal_to_server_value_wins_over_an_old_base_version():
    # The device pulled version 3 after it began editing other fields: its user saw the goal.
    decision = decide({"goal": "Ny"}, base_version=1, base={"goal": ROW["goal"]})
    assert decision.apply == {"goal": "Ny"}
    assert decision.status == MERGED


def test_base_value_that_differs_from_server_conflicts_even_if_version_says_unchanged():
    decision = decide({"topic": "Ny"}, base_version=3, base={"topic": "Noget andet"})
    assert [c.field for c in decision.conflicts] == ["topic"]


def test_upsert_without_base_version_on_existing_row_conflicts_on_differing_fields():
    decision = decide({"goal": "Ny", "topic": ROW["topic"]}, base_version=None)
    assert [c.field for c in decision.conflicts] == ["goal"]


def test_delete_from_current_version_loses_nothing():
    decision = decide_delete(server_values=ROW, field_versions=VERSIONS, base_version=3)
    assert decision.lost_edits == {}
    assert decision.status == APPLIED


def test_delete_over_newer_edits_keeps_them_in_a_conflict():
    decision = decide_delete(server_values=ROW, field_versions=VERSIONS, base_version=2)
    assert decision.lost_edits == {"goal": ROW["goal"]}
    assert decision.status == CONFLICT


def test_cursor_round_trips_and_refuses_garbage():
    cursor = Cursor(
        seq=42,
        issued_at=1700000000,
        scope={"u1": "sr"},
        rescan=["u2"],
        position=(2, "abc"),
        fresh=False,
    )
    assert Cursor.decode(cursor.encode()) == cursor
    for garbage in ("", "not base64 !", "eyJ2IjoyfQ", Cursor().encode()[:-3] + "xx"):
        with pytest.raises(InvalidCursor):
            Cursor.decode(garbage)


def test_scope_changes_names_units_whose_rights_differ():
    old = {"a": "sr", "b": "srm", "c": "s"}
    new = {"a": "rs", "b": "sr", "d": "s"}
    assert scope_changes(old, new) == {"b", "c", "d"}
