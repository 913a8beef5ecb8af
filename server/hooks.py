"""The session hooks, registered once by the app factory, in the order they must run.

    before_flush  versioning.stamp_changes         versions, sequence numbers and audit events
                                                   of synced rows (new units get their ids)
    before_flush  access_audit.audit_access_changes  audit of users, memberships and tokens;
                                                   a membership in a new unit needs its id
    after_flush   push.events.queue_notifications  notices of what the flush changed, from the
                                                   stamped rows

and the same notices for a row written without a flush (``versioning.write_fields``):

    written directly  push.events.notice_written

They are SQLAlchemy ``Session`` class events, so they apply to every session of the process;
registering twice (a second app in the same process, as tests make) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from server.models import access_audit, versioning
from server.push import events

SESSION_HOOKS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("before_flush", versioning.stamp_changes),
    ("before_flush", access_audit.audit_access_changes),
    ("after_flush", events.queue_notifications),
)


def register_session_hooks() -> None:
    for name, hook in SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
    if events.notice_written not in versioning.WRITTEN_DIRECTLY:
        versioning.WRITTEN_DIRECTLY.append(events.notice_written)
