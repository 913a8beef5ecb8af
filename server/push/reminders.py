"""Deadline reminders: items due soon, and items past their due date (frist / slutdatum).

For each open item with a due date (its HVORNÅR? end, ``end_date``) in a plan that is still
in force (not completed, archived or deleted), each user named in its HVEM?, for carrying it
out or for following it up (a user named for both is reminded once), gets

- ``due_soon`` when the item is due within one of the reminder windows (default 7 and 1
  days): the smallest window that still holds the days left, so an item due in 3 days gets
  the 7-day reminder, and the 1-day one the day before. A run missed by cron is caught up
  by the next one instead of skipping a reminder;
- ``overdue`` once the due date has passed (queued within ``PUSH_OUTBOX_RETENTION_DAYS - 1``
  days of it, so it is not queued again once sync-gc has deleted the sent one; outbox.py).

"Today" is the user's own date (their preference's time zone). Each reminder has the key
``<kind>:<user>:<item>:<due date>[:<window>]``, unique in the database; inserting an existing
key does nothing. So running this twice, or twice at the same moment, queues each reminder
once; moving the due date makes a new key and so a new reminder.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.models.plans import Plan, PlanItem
from server.models.push import NotificationPreference
from server.models.quality import AnnualTask
from server.push.audience import arshjul_unit_for, may, reminded_user_ids
from server.push.delivery import zone_of
from server.push.outbox import (
    OUTBOX_RETENTION_DAYS,
    NewNotification,
    overdue_reminder_wanted,
    write_notifications,
)

PLAN_STATES_IN_FORCE = ("draft", "submitted", "approved")
OPEN_ITEM_STATES = ("not_started", "in_progress")


@dataclass(frozen=True)
class ReminderRun:
    considered: int
    queued: int


def queue_reminders(
    session: Session,
    windows: Iterable[int] = (7, 1),
    now: datetime | None = None,
    *,
    outbox_retention_days: int = OUTBOX_RETENTION_DAYS,
) -> ReminderRun:
    """Queue the reminders that are due now; return how many were new."""
    now = now or clock.now()
    windows = sorted({int(w) for w in windows if int(w) >= 0})
    # Time zones are at most a day apart from UTC: look one day further than the widest window.
    horizon = now.date() + timedelta(days=(windows[-1] if windows else 0) + 1)
    items = session.scalars(
        select(PlanItem)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .where(
            PlanItem.deleted.is_(False),
            Plan.deleted.is_(False),
            Plan.state.in_(PLAN_STATES_IN_FORCE),
            PlanItem.state.in_(OPEN_ITEM_STATES),
            PlanItem.end_date.is_not(None),
            PlanItem.end_date <= horizon,
        )
        # One order for every run, so two overlapping runs take the keys' locks in the same
        # order on PostgreSQL and wait for each other instead of deadlocking.
        .order_by(PlanItem.id)
    ).all()
    reminders = list(_reminders(session, items, windows, now, outbox_retention_days))
    queued = write_notifications(session.connection(), reminders, now)
    return ReminderRun(considered=len(reminders), queued=queued)


def _reminders(
    session: Session,
    items: Sequence[PlanItem],
    windows: list[int],
    now: datetime,
    outbox_retention_days: int,
) -> Iterator[NewNotification]:
    allowed: dict[tuple, bool] = {}
    for item in items:
        due: date = item.end_date  # type: ignore[assignment]
        for user_id in sorted(reminded_user_ids(item)):
            if (user_id, item.unit_id) not in allowed:
                allowed[user_id, item.unit_id] = may(session, user_id, "read_plans", item.unit_id)
            if not allowed[user_id, item.unit_id]:
                continue
            today = now.astimezone(zone_of(session.get(NotificationPreference, user_id))).date()
            days_left = (due - today).days
            if days_left < 0:
                if not overdue_reminder_wanted(-days_left, outbox_retention_days):
                    continue
                kind, key, params = "overdue", f"overdue:{user_id}:{item.id}:{due}", {}
            else:
                window = next((w for w in windows if w >= days_left), None)
                if window is None:
                    continue
                kind = "due_soon"
                key = f"due_soon:{user_id}:{item.id}:{due}:{window}"
                params = {"days": days_left}
            yield NewNotification(
                user_id=user_id,
                kind=kind,
                dedup_key=key,
                unit_id=item.unit_id,
                plan_id=item.plan_id,
                item_id=item.id,
                params=params,
            )


# ---- årshjul tasks (the Swedish yearly cycle) ---------------------------------------------


def queue_task_reminders(
    session: Session,
    windows: Iterable[int] = (7, 1),
    now: datetime | None = None,
    *,
    outbox_retention_days: int = OUTBOX_RETENTION_DAYS,
) -> int:
    """Queue due-soon and overdue reminders of open årshjul tasks to their owners; returns how
    many were new. Same rules as the plan items' (above)."""
    now = now or clock.now()
    ordered = sorted({int(w) for w in windows if int(w) >= 0})
    horizon = now.date() + timedelta(days=(ordered[-1] if ordered else 0) + 1)
    tasks = session.scalars(
        select(AnnualTask)
        .where(
            AnnualTask.deleted.is_(False),
            AnnualTask.state == "open",
            AnnualTask.owner_user_id.is_not(None),
            AnnualTask.due_date <= horizon,
        )
        .order_by(AnnualTask.id)
    ).all()
    return write_notifications(
        session.connection(),
        _task_reminders(session, tasks, ordered, now, outbox_retention_days),
        now,
    )


def _task_reminders(
    session: Session,
    tasks: Iterable[AnnualTask],
    windows: list[int],
    now: datetime,
    outbox_retention_days: int,
) -> Iterator[NewNotification]:
    for task in tasks:
        owner: uuid.UUID = task.owner_user_id  # type: ignore[assignment]
        # Staff named on their verksamhet's task read it from their enhet: the reminder names
        # that unit, so delivery's visibility check and the link both use the owner's view.
        shown_in = arshjul_unit_for(session, owner, task.unit_id)
        if shown_in is None:
            continue
        today = now.astimezone(zone_of(session.get(NotificationPreference, owner))).date()
        days_left = (task.due_date - today).days
        if days_left < 0:
            if not overdue_reminder_wanted(-days_left, outbox_retention_days):
                continue
            kind, key, params = "overdue", f"overdue:{owner}:task:{task.id}:{task.due_date}", {}
        else:
            window = next((w for w in windows if w >= days_left), None)
            if window is None:
                continue
            kind = "due_soon"
            key = f"due_soon:{owner}:task:{task.id}:{task.due_date}:{window}"
            params = {"days": days_left}
        yield NewNotification(
            user_id=owner,
            kind=kind,
            dedup_key=key,
            unit_id=shown_in,
            task_id=task.id,
            params=params,
        )
