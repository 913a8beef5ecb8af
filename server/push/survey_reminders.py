"""Reminders of unanswered survey links, to the manager who made them (issue 18, point 7).

A respondent has no account, so nobody can remind them but the manager who sent the link. For
each group of a manager's links to one survey of one unit with one last day, still open, the
manager gets ``survey_unanswered`` ("3 links are unanswered. The last day to answer is in 2
days.") when that day is within one of the reminder windows (``PUSH_REMINDER_DAYS``, default 7
and 1): the smallest window that holds the days left, as for plan items (``reminders.py``). The
notification opens the unit's surveys, where the re-send list gives each unanswered link a new
address.

The key is ``survey_unanswered:<user>:<unit>:<survey>:<last day>:<window>``, unique, so two runs
queue it once; a new last day (a link made anew) is a new key. Delivery skips it as obsolete if
no link of the group is still open by then (``still_unanswered``). The payload holds numbers
and a link only, never a label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import clock
from server.models.push import Notification, NotificationPreference
from server.models.survey_links import SurveyLink
from server.push.audience import may
from server.push.delivery import zone_of
from server.push.outbox import NewNotification, write_notifications

KIND = "survey_unanswered"


def _open_links():
    return select(SurveyLink).where(
        SurveyLink.answered_on.is_(None),
        SurveyLink.withdrawn_at.is_(None),
        SurveyLink.created_by.is_not(None),
    )


def queue_survey_link_reminders(
    session: Session, windows: Iterable[int] = (7, 1), now: datetime | None = None
) -> int:
    """Queue the reminders due now; return how many were new."""
    now = now or clock.now()
    ordered = sorted({int(w) for w in windows if int(w) >= 0})
    if not ordered:
        return 0
    # Time zones are at most a day from UTC: look one day either side.
    first, last = now.date() - timedelta(days=1), now.date() + timedelta(days=ordered[-1] + 1)
    links = session.scalars(
        _open_links()
        .where(SurveyLink.expires_on >= first, SurveyLink.expires_on <= last)
        .order_by(SurveyLink.id)
    ).all()
    groups = Counter((k.created_by, k.unit_id, k.survey, k.expires_on) for k in links)
    return write_notifications(session.connection(), _reminders(session, groups, ordered, now), now)


def _reminders(
    session: Session,
    groups: Counter,
    windows: list[int],
    now: datetime,
) -> Iterator[NewNotification]:
    for (user_id, unit_id, survey, last_day), unanswered in sorted(groups.items(), key=str):
        if not may(session, user_id, "manage_plans", unit_id):
            continue
        today = now.astimezone(zone_of(session.get(NotificationPreference, user_id))).date()
        days_left = (last_day - today).days
        if days_left < 0:
            continue
        window = next((w for w in windows if w >= days_left), None)
        if window is None:
            continue
        yield NewNotification(
            user_id=user_id,
            kind=KIND,
            dedup_key=f"{KIND}:{user_id}:{unit_id}:{survey}:{last_day}:{window}",
            unit_id=unit_id,
            params={
                "unanswered": unanswered,
                "days": days_left,
                "survey": survey,
                "expires_on": last_day.isoformat(),
            },
        )


def still_unanswered(session: Session, notification: Notification) -> bool:
    """Whether a link of the reminder's group is still open (at delivery time)."""
    params = notification.params or {}
    try:
        last_day = date.fromisoformat(str(params.get("expires_on")))
    except ValueError:
        return False
    found = session.scalar(
        select(func.count())
        .select_from(SurveyLink)
        .where(
            SurveyLink.answered_on.is_(None),
            SurveyLink.withdrawn_at.is_(None),
            SurveyLink.created_by == notification.user_id,
            SurveyLink.unit_id == notification.unit_id,
            SurveyLink.survey == params.get("survey"),
            SurveyLink.expires_on == last_day,
            SurveyLink.expires_on >= clock.now().date() - timedelta(days=1),
        )
    )
    return bool(found)


__all__ = ["KIND", "queue_survey_link_reminders", "still_unanswered"]
