"""Merge rules: what happens to a pushed change when the server row moved on meanwhile.

Pure functions over plain JSON values, so they are tested without a database and read the
same on the server and in a client that wants to predict an outcome.

For an update of an existing row, each field the client sent is judged on its own:

    client value == server value     nothing to do (both ended up at the same value)
    a base value was sent for it     changed on the server  <=>  base value != server value
    no base value                    changed on the server  <=>  field_versions[f] > base_version
    changed on the server            CONFLICT: the server value stays; a conflict record keeps
                                     base, server and client values for a person to resolve
    not changed on the server        applied

The base value wins over the version when both are given: a device that pulled a newer version
of the row after it started editing still knows which value its user looked at, and a field
that another device changed and changed back is not a conflict. A missing ``base_version``
(a create whose id exists already) means "based on nothing": every differing field conflicts.

Then the mutation's status: ``conflict`` if any field conflicted, ``merged`` if fields were
applied to a row that others had changed since the base version, ``applied`` otherwise.

For a delete, the delete always wins. If the row changed since the client's base version, the
fields that changed are kept in a ``delete_edit`` conflict record (the row keeps them too, as
a tombstone, until garbage collection). An edit of a row that is already deleted is a
``delete_edit`` conflict holding the edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.protocol import APPLIED, CONFLICT, MERGED


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base_value: Any
    server_value: Any
    client_value: Any
    # The row version at which the server value was written (who wrote it is in the audit).
    server_field_version: int


@dataclass(frozen=True)
class RowConflict:
    """A delete met an edit: the whole row collided, so no one field is named. The client's
    value is its edit (pushed to a deleted row), or the server's the edits a delete overrode."""

    base_value: Any
    server_value: Any
    client_value: Any
    server_field_version: int
    field: None = None


@dataclass
class UpdateDecision:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)
    # Another writer changed some field of the row after the client's base version.
    row_moved_on: bool = False

    @property
    def status(self) -> str:
        if self.conflicts:
            return CONFLICT
        if self.apply and self.row_moved_on:
            return MERGED
        return APPLIED


def changed_on_server(
    name: str,
    server_value: Any,
    field_version: int,
    base_version: int | None,
    base: Mapping[str, Any],
) -> bool:
    if name in base:
        return base[name] != server_value
    return field_version > (base_version or 0)


def decide_update(
    *,
    server_values: Mapping[str, Any],
    field_versions: Mapping[str, int],
    server_version: int,
    base_version: int | None,
    fields: Mapping[str, Any],
    base: Mapping[str, Any] | None = None,
) -> UpdateDecision:
    """Judge each sent field; values must already be in one canonical JSON form."""
    base = base or {}
    decision = UpdateDecision(row_moved_on=server_version > (base_version or 0))
    for name, client_value in fields.items():
        server_value = server_values.get(name)
        if client_value == server_value:
            continue
        field_version = field_versions.get(name, 1)
        if changed_on_server(name, server_value, field_version, base_version, base):
            decision.conflicts.append(
                FieldConflict(
                    field=name,
                    base_value=base.get(name),
                    server_value=server_value,
                    client_value=client_value,
                    server_field_version=field_version,
                )
            )
        else:
            decision.apply[name] = client_value
    return decision


@dataclass
class DeleteDecision:
    # Fields others changed after the client's base version: kept in a delete_edit record.
    lost_edits: dict[str, Any]

    @property
    def status(self) -> str:
        return CONFLICT if self.lost_edits else APPLIED


def decide_delete(
    *,
    server_values: Mapping[str, Any],
    field_versions: Mapping[str, int],
    base_version: int | None,
) -> DeleteDecision:
    """The delete wins; edits made on the server since the client's base are recorded."""
    if base_version is None:
        # The client never saw the row: everything on it is an edit it did not see.
        return DeleteDecision(lost_edits=dict(server_values))
    return DeleteDecision(
        lost_edits={
            name: value
            for name, value in server_values.items()
            if field_versions.get(name, 1) > base_version
        }
    )
