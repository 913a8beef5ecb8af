"""Columns every synced table shares.

A synced row carries:

- ``id``: a UUID the client may generate, so a row created offline keeps its id forever;
- ``version``: bumped on every accepted change (1 on insert);
- ``field_versions``: ``{field: version}``, the row version at which each field last changed;
  the merge rules compare it with a client's ``base_version`` to tell a stale field from a
  fresh one;
- ``seq``: a number from the global sync clock, unique per change, that orders the change feed
  (see ``server/models/versioning.py`` for why it never skips);
- ``updated_at`` / ``updated_by``: when and by whom;
- ``deleted``: a tombstone flag; deleted rows stay until garbage collection so devices learn of
  the delete.

The version columns are never set by hand: ``versioning.stamp_changes`` fills them in on flush,
for every path (REST, sync, CLI).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, FromClause, Integer, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from server.models.types import UTCDateTime


class SyncedMixin:
    # The table name clients use in the sync protocol, and the fields they see. Which of them
    # a client may send is its write schema's business (``server/services/tables.py``).
    sync_table: ClassVar[str]
    sync_fields: ClassVar[tuple[str, ...]]

    if TYPE_CHECKING:
        __table__: ClassVar[FromClause]

        @property
        def unit_id(self) -> uuid.UUID | None:
            """The unit a row belongs to (a unit's own id for units); None for catalogues."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    field_versions: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @declared_attr
    def seq(cls) -> Mapped[int]:
        return mapped_column(BigInteger, nullable=False, index=True)

    @declared_attr
    def updated_by(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(Uuid, ForeignKey("users.id"), nullable=True)
