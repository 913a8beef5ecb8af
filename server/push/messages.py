"""The push payload: what a lock screen may show, in the user's language.

    {"title": "...", "body": "..." (optional), "url": "/#/items/<id>", "kind": "...",
     "lang": "da", "about": "..." (optional)}

Only a fixed title per kind, a number of days for reminders, and a link. Never a plan title,
an item's text, a note or a name: a phone's lock screen is not a place for citizen data. The
app shows the details after the user opens the link (from its local store, offline too).

``about`` (a code, also in the notification's params) picks the words where one kind says
two things:

    kind                  about        what it says
    due_soon, overdue     end_date     a row's end (HVORNÅR?'s sluttidspunkt / slutdatum);
                                       also a reminder queued before ``about`` existed
    due_soon, overdue     deadline     the frist of the påbud the row answers (tidsfrist)
    assigned, note_added, follow_up    the user follows the row up (HVEM?'s second job),
    message_added                      rather than carrying it out
"""

from __future__ import annotations

import uuid
from typing import Any

from server.i18n import LANGUAGES, _, _l, force_locale, ngettext
from server.models.push import DEADLINE, END_DATE, FOLLOW_UP, REMINDER_KINDS

REMINDER_ABOUTS = (END_DATE, DEADLINE)

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
    # A row's end date; a row answering a påbud has its frist, in VARIANT_TITLES.
    "due_soon": _l("An item is nearing its end date"),
    "overdue": _l("An item is past its end date"),
}

# The other titles of a kind, by ``about``.
VARIANT_TITLES = {
    ("assigned", FOLLOW_UP): _l("You are now responsible for following up an item"),
    ("note_added", FOLLOW_UP): _l("New progress note on an item you follow up"),
    ("message_added", FOLLOW_UP): _l("New message from the inspectorate on an item you follow up"),
    ("due_soon", DEADLINE): _l("The deadline of an order is near"),
    ("overdue", DEADLINE): _l("The deadline of an order has passed"),
}

# Survey links a manager made, still unanswered near their last day (survey_reminders.py).
SURVEY_TITLES = {"survey_unanswered": _l("Survey links are still unanswered")}

# A reminder about a task of the Swedish årshjul (annual_tasks) rather than a plan item.
TASK_TITLES = {
    "due_soon": _l("A task of the annual cycle is nearly due"),
    "overdue": _l("A task of the annual cycle is overdue"),
}


def due_body(days: int, about: str | None = None) -> str:
    """How far off the date is: a row's end date, a påbud's deadline, or (``about`` None) an
    årshjul task's due date."""
    if about == END_DATE:
        if days <= 0:
            return _("The end date is today.")
        if days == 1:
            return _("The end date is tomorrow.")
        return ngettext("The end date is in %(num)d day.", "The end date is in %(num)d days.", days)
    if about == DEADLINE:
        if days <= 0:
            return _("The deadline is today.")
        if days == 1:
            return _("The deadline is tomorrow.")
        return ngettext("The deadline is in %(num)d day.", "The deadline is in %(num)d days.", days)
    if days <= 0:
        return _("Due today.")
    if days == 1:
        return _("Due tomorrow.")
    return ngettext("Due in %(num)d day.", "Due in %(num)d days.", days)


def about_of(
    kind: str, params: dict[str, Any], task: tuple[uuid.UUID, uuid.UUID] | None = None
) -> str | None:
    """What the notice is about (the module's table), or None where the kind says one thing.
    A row's reminder without ``about`` was queued before it existed: it was about the end."""
    about = params.get("about")
    if kind in REMINDER_KINDS:
        if task is not None:
            return None
        return about if about in REMINDER_ABOUTS else END_DATE
    if (kind, about) in VARIANT_TITLES:
        return about
    return None


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
    params = params or {}
    about = about_of(kind, params, task)
    titles = TASK_TITLES if task is not None and kind in TASK_TITLES else TITLES
    titles = SURVEY_TITLES if kind in SURVEY_TITLES else titles
    title = VARIANT_TITLES.get((kind, about), titles[kind]) if about else titles[kind]
    with force_locale(lang):
        payload = {
            "title": str(title),
            "url": link_for(kind, plan_id, item_id, task, unit_id),
            "kind": kind,
            "lang": lang,
        }
        if about is not None:
            payload["about"] = about  # the app picks its own title by it (notification.js)
        days = params.get("days")
        if kind == "due_soon" and isinstance(days, int):
            payload["body"] = due_body(days, about)
        elif kind == "plan_sent_back":
            # The reason itself stays off the lock screen; the plan shows it to its author.
            payload["body"] = _("Open the plan to read why it came back.")
        unanswered = params.get("unanswered")
        if kind in SURVEY_TITLES and isinstance(unanswered, int) and isinstance(days, int):
            payload["body"] = unanswered_body(unanswered, days)
    return payload
