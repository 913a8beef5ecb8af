"""Deadline reminders: a row's end date (sluttidspunkt / slutdatum) coming up or passed, and
the frist of the påbud a row answers.

A row is reminded of each date it has (``reminded_dates``), saying which one it is
(``params.about``, messages.py):

    the row's HVORNÅR? end (``end_date``)               about "end_date"
    for a row answering a påbud (``legal_deadline``):
      the påbud's frist, or the latest recorded          about "deadline"
      extension of it (``effective_deadline``)
    both the same date                                   one reminder, about "deadline"

So a påbud's row with no end date of its own is reminded of the frist, and one that plans to
finish before it is reminded of both. For each open row in a plan that is still in force (not
completed, archived or deleted), each user named in its HVEM?, for carrying it out or for
following it up (a user named for both is reminded once), gets, for each date,

- ``due_soon`` when the date is within one of the reminder windows (default 7 and 1
  days): the smallest window that still holds the days left, so a date 3 days off gets
  the 7-day reminder, and the 1-day one the day before. A run missed by cron is caught up
  by the next one instead of skipping a reminder;
- ``overdue`` once the date has passed (queued within ``PUSH_OUTBOX_RETENTION_DAYS - 1``
  days of it, so it is not queued again once sync-gc has deleted the sent one; outbox.py).

"Today" is the user's own date (their preference's time zone). Each reminder has the key
``<kind>:<user>:<item>:<date>[:<window>]`` (``<item>:deadline`` for the frist's), unique in
the database; inserting an existing key does nothing. So running this twice, or twice at
the same moment, queues each reminder once; moving the date (or a new extension of the
frist) makes a new key and so a new reminder. The date is in ``params.date`` too: delivery
skips a reminder whose date the row no longer has, as that thing (``still_due``), since the
new date has a reminder of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server import clock
from server.models.plans import Plan, PlanItem
from server.models.push import DEADLINE, END_DATE, Notification, NotificationPreference
from server.models.quality import AnnualTask
from server.push.audience import arshjul_unit_for, may, reminded_user_ids
from server.push.delivery import zone_of
from server.push.messages import about_of
from server.push.outbox import (
    OUTBOX_RETENTION_DAYS,
    NewNotification,
    overdue_reminder_wanted,
    write_notifications,
)
from server.services.plans import effective_deadline

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
            # A påbud's frist may have been extended past the horizon: reminded_dates says.
            or_(PlanItem.end_date <= horizon, PlanItem.legal_deadline.is_not(None)),
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
        dates = sorted(reminded_dates(session, item).items())
        for user_id in sorted(reminded_user_ids(item)):
            if (user_id, item.unit_id) not in allowed:
                allowed[user_id, item.unit_id] = may(session, user_id, "read_plans", item.unit_id)
            if not allowed[user_id, item.unit_id]:
                continue
            today = now.astimezone(zone_of(session.get(NotificationPreference, user_id))).date()
            for due, about in dates:
                days_left = (due - today).days
                params: dict = {"about": about, "date": due.isoformat()}
                # The frist's keys say so: on a date that is the frist's now and the row's
                # end date alone later (an extension), the end date has a reminder of its own.
                subject = f"{item.id}:deadline" if about == DEADLINE else f"{item.id}"
                wanted = _reminder_wanted(days_left, windows, outbox_retention_days)
                if wanted is None:
                    continue
                kind, window = wanted
                if kind == "due_soon":
                    params["days"] = days_left
                yield NewNotification(
                    user_id=user_id,
                    kind=kind,
                    dedup_key=f"{kind}:{user_id}:{subject}:{due}{window}",
                    unit_id=item.unit_id,
                    plan_id=item.plan_id,
                    item_id=item.id,
                    params=params,
                )


def _reminder_wanted(
    days_left: int, windows: list[int], outbox_retention_days: int
) -> tuple[str, str] | None:
    """The reminder a date ``days_left`` away wants now, as (kind, the window's part of its
    key): ``("overdue", "")`` once it has passed, ``("due_soon", ":<window>")`` within the
    smallest window that holds it; None when neither (too far off, or overdue too long)."""
    if days_left < 0:
        return (
            ("overdue", "") if overdue_reminder_wanted(-days_left, outbox_retention_days) else None
        )
    window = next((w for w in windows if w >= days_left), None)
    return None if window is None else ("due_soon", f":{window}")


def reminded_dates(session: Session, item: PlanItem) -> dict[date, str]:
    """The dates a row's people are reminded of, each with what it is (END_DATE or DEADLINE):
    its own end, and the frist of the påbud it answers as it stands now (the later of the
    legal deadline and the latest extension). A date that is both is the frist."""
    dates: dict[date, str] = {}
    if item.end_date is not None:
        dates[item.end_date] = END_DATE
    deadline = effective_deadline(session, item)
    if deadline is not None:
        dates[deadline] = DEADLINE
    return dates


def still_due(session: Session, notification: Notification, item: PlanItem) -> bool:
    """Whether the row still has the date this reminder was queued for, as the same thing
    (its end date, or its påbud's frist). A reminder queued before the date was kept in its
    params cannot be checked, and is taken as still due."""
    queued_for = (notification.params or {}).get("date")
    if queued_for is None:
        return True
    about = about_of(notification.kind, notification.params or {})
    return reminded_dates(session, item).get(date.fromisoformat(queued_for)) == about


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
        wanted = _reminder_wanted(days_left, windows, outbox_retention_days)
        if wanted is None:
            continue
        kind, window = wanted
        yield NewNotification(
            user_id=owner,
            kind=kind,
            dedup_key=f"{kind}:{owner}:task:{task.id}:{task.due_date}{window}",
            unit_id=shown_in,
            task_id=task.id,
            params={"days": days_left} if kind == "due_soon" else {},
        )
