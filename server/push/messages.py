"""The push payload: what a lock screen may show, in the user's language.

    {"title": "...", "body": "..." (optional), "url": "/#/items/<id>", "kind": "...", "lang": "da"}

Only a fixed title per kind, a number of days for reminders, and a link. Never a plan title,
an item's text, a note or a name: a phone's lock screen is not a place for citizen data. The
app shows the details after the user opens the link (from its local store, offline too).
"""

from __future__ import annotations

import uuid
from typing import Any

from server.i18n import LANGUAGES, _, _l, force_locale, ngettext

# One title per kind, English here, Danish and Swedish in server/translations (gettext).
# The dialogue's notices never carry the message itself, nor the finding's text.
TITLES = {
    "assigned": _l("You are now responsible for an item"),
    "plan_submitted": _l("A follow-up plan awaits your approval"),
    "plan_approved": _l("Your follow-up plan was approved"),
    "plan_sent_back": _l("Your follow-up plan was sent back"),
    "note_added": _l("New progress note on an item you are responsible for"),
    "conflict": _l("A conflict is waiting for you"),
    "message_added": _l("New message in the dialogue on a follow-up plan"),
    "finding_added": _l("The inspectorate recorded a new finding from a visit"),
    "paabud_added": _l("The inspectorate issued an order with a deadline"),
    "followed_submitted": _l("A follow-up plan you follow was submitted"),
    "followed_approved": _l("A follow-up plan you follow was approved by management"),
    "followed_in_force": _l("A follow-up plan you follow was put in force"),
    "followed_changed": _l("An approved follow-up plan you follow was changed"),
    "paabud_item_done": _l("An item answering an order was marked done"),
    "due_soon": _l("An item is nearly due"),
    "overdue": _l("An item is overdue"),
}

# Survey links a manager made, still unanswered near their last day (survey_reminders.py).
SURVEY_TITLES = {"survey_unanswered": _l("Survey links are still unanswered")}

# A reminder about a task of the Swedish årshjul (annual_tasks) rather than a plan item.
TASK_TITLES = {
    "due_soon": _l("A task of the annual cycle is nearly due"),
    "overdue": _l("A task of the annual cycle is overdue"),
}


def due_body(days: int) -> str:
    if days <= 0:
        return _("Due today.")
    if days == 1:
        return _("Due tomorrow.")
    return ngettext("Due in %(num)d day.", "Due in %(num)d days.", days)


def unanswered_body(unanswered: int, days: int) -> str:
    """E.g. "3 links are unanswered. The last day to answer is in 2 days." (numbers only)."""
    links = ngettext("%(num)d link is unanswered.", "%(num)d links are unanswered.", unanswered)
    if days <= 0:
        last_day = _("The last day to answer is today.")
    else:
        last_day = ngettext(
            "The last day to answer is in %(num)d day.",
            "The last day to answer is in %(num)d days.",
            days,
        )
    return f"{links} {last_day}"


URGENCY = {
    "assigned": "normal",
    "plan_submitted": "normal",
    "plan_approved": "normal",
    "plan_sent_back": "normal",
    "note_added": "low",
    "conflict": "normal",
    "message_added": "normal",
    "finding_added": "normal",
    "paabud_added": "high",
    "followed_submitted": "normal",
    "followed_approved": "normal",
    "followed_in_force": "normal",
    "followed_changed": "low",
    "paabud_item_done": "normal",
    "due_soon": "normal",
    "overdue": "high",
    "survey_unanswered": "normal",
}


def language_of(user_language: str | None) -> str:
    return user_language if user_language in LANGUAGES else "da"


def link_for(
    kind: str,
    plan_id: uuid.UUID | None,
    item_id: uuid.UUID | None,
    task: tuple[uuid.UUID, uuid.UUID] | None = None,
    unit_id: uuid.UUID | None = None,
) -> str:
    """A route of the PWA's hash router; the service worker opens it on the app's origin.
    ``task``: (unit, task) of an årshjul task, shown in that unit's årshjul; ``unit_id``: the
    unit whose surveys a survey-link reminder opens."""
    if task is not None:
        return f"/#/quality/{task[0]}/cycle/{task[1]}"
    if kind in SURVEY_TITLES and unit_id is not None:
        return f"/#/quality/{unit_id}/surveys"
    if kind == "conflict":
        return "/#/conflicts"
    if item_id is not None:
        return f"/#/items/{item_id}"
    if plan_id is not None:
        return f"/#/plans/{plan_id}"
    return "/#/units"


def render_payload(
    kind: str,
    user_language: str | None,
    plan_id: uuid.UUID | None,
    item_id: uuid.UUID | None,
    params: dict[str, Any] | None = None,
    *,
    task: tuple[uuid.UUID, uuid.UUID] | None = None,
    unit_id: uuid.UUID | None = None,
) -> dict[str, str]:
    """The payload in the recipient's language (needs an app context for the catalogues).
    ``task``: (unit, task) when the reminder is about an årshjul task, which that unit's
    årshjul shows (the PWA takes its own title for it from the route: notification.js)."""
    lang = language_of(user_language)
    titles = TASK_TITLES if task is not None and kind in TASK_TITLES else TITLES
    titles = SURVEY_TITLES if kind in SURVEY_TITLES else titles
    with force_locale(lang):
        payload = {
            "title": str(titles[kind]),
            "url": link_for(kind, plan_id, item_id, task, unit_id),
            "kind": kind,
            "lang": lang,
        }
        days = (params or {}).get("days")
        if kind == "due_soon" and isinstance(days, int):
            payload["body"] = due_body(days)
        elif kind == "plan_sent_back":
            # The reason itself stays off the lock screen; the plan shows it to its author.
            payload["body"] = _("Open the plan to read why it came back.")
        unanswered = (params or {}).get("unanswered")
        if kind in SURVEY_TITLES and isinstance(unanswered, int) and isinstance(days, int):
            payload["body"] = unanswered_body(unanswered, days)
    return payload
