"""The push payload: what a lock screen may show, in the user's language.

    {"title": "...", "body": "..." (optional), "url": "/#/items/<id>", "kind": "...", "lang": "da"}

Only a fixed title per kind, a number of days for reminders, and a link. Never a plan title,
an item's text, a note or a name: a phone's lock screen is not a place for citizen data. The
app shows the details after the user opens the link (from its local store, offline too).
"""

from __future__ import annotations

import uuid
from typing import Any

LANGUAGES = ("da", "sv", "en")

TITLES: dict[str, dict[str, str]] = {
    "assigned": {
        "da": "Du er blevet ansvarlig for et punkt",
        "sv": "Du har blivit ansvarig för en åtgärd",
        "en": "You are now responsible for an item",
    },
    "plan_submitted": {
        "da": "En opfølgningsplan venter på din godkendelse",
        "sv": "En handlingsplan väntar på att fastställas av dig",
        "en": "A follow-up plan awaits your approval",
    },
    "plan_approved": {
        "da": "Din opfølgningsplan er godkendt",
        "sv": "Din handlingsplan är fastställd",
        "en": "Your follow-up plan was approved",
    },
    "plan_sent_back": {
        "da": "Din opfølgningsplan er sendt tilbage",
        "sv": "Din handlingsplan har skickats tillbaka",
        "en": "Your follow-up plan was sent back",
    },
    "note_added": {
        "da": "Ny status på et punkt, du er ansvarlig for",
        "sv": "Ny anteckning på en åtgärd du är ansvarig för",
        "en": "New progress note on an item you are responsible for",
    },
    "conflict": {
        "da": "En konflikt venter på dig",
        "sv": "En konflikt väntar på dig",
        "en": "A conflict is waiting for you",
    },
    # The dialogue with the inspectorate. Never the message itself, nor the finding's text.
    "message_added": {
        "da": "Ny besked i dialogen om en opfølgningsplan",
        "sv": "Nytt meddelande i dialogen om en handlingsplan",
        "en": "New message in the dialogue on a follow-up plan",
    },
    "finding_added": {
        "da": "Tilsynet har registreret et nyt forhold fra et tilsynsbesøg",
        "sv": "Tillsynen har registrerat en ny iakttagelse från ett tillsynsbesök",
        "en": "The inspectorate recorded a new finding from a visit",
    },
    "paabud_added": {
        "da": "Tilsynet har givet et påbud med frist",
        "sv": "Tillsynen har meddelat ett föreläggande",
        "en": "The inspectorate issued an order with a deadline",
    },
    "followed_submitted": {
        "da": "En opfølgningsplan, du følger, er indsendt",
        "sv": "En handlingsplan som du följer har lämnats in",
        "en": "A follow-up plan you follow was submitted",
    },
    "followed_approved": {
        "da": "En opfølgningsplan, du følger, er godkendt af ledelsen",
        "sv": "En handlingsplan som du följer har fastställts av ledningen",
        "en": "A follow-up plan you follow was approved by management",
    },
    "followed_changed": {
        "da": "En godkendt opfølgningsplan, du følger, er ændret",
        "sv": "En fastställd handlingsplan som du följer har ändrats",
        "en": "An approved follow-up plan you follow was changed",
    },
    "paabud_item_done": {
        "da": "Et punkt, der besvarer et påbud, er markeret som udført",
        "sv": "En åtgärd som besvarar ett föreläggande är markerad som klar",
        "en": "An item answering an order was marked done",
    },
    "due_soon": {
        "da": "Et punkt nærmer sig sin frist",
        "sv": "En åtgärd närmar sig sitt slutdatum",
        "en": "An item is nearly due",
    },
    "overdue": {
        "da": "Et punkt har overskredet sin frist",
        "sv": "En åtgärd har passerat sitt slutdatum",
        "en": "An item is overdue",
    },
}

# A reminder about a task of the Swedish årshjul (annual_tasks) rather than a plan item.
TASK_TITLES: dict[str, dict[str, str]] = {
    "due_soon": {
        "da": "En opgave i årshjulet nærmer sig sin frist",
        "sv": "En uppgift i årshjulet närmar sig sitt slutdatum",
        "en": "A task of the annual cycle is nearly due",
    },
    "overdue": {
        "da": "En opgave i årshjulet har overskredet sin frist",
        "sv": "En uppgift i årshjulet har passerat sitt slutdatum",
        "en": "A task of the annual cycle is overdue",
    },
}

DUE_BODIES: dict[str, dict[str, str]] = {
    "today": {"da": "Fristen er i dag.", "sv": "Slutdatum är i dag.", "en": "Due today."},
    "tomorrow": {
        "da": "Fristen er i morgen.",
        "sv": "Slutdatum är i morgon.",
        "en": "Due tomorrow.",
    },
    "days": {
        "da": "Fristen er om {days} dage.",
        "sv": "Slutdatum om {days} dagar.",
        "en": "Due in {days} days.",
    },
}

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
    "followed_changed": "low",
    "paabud_item_done": "normal",
    "due_soon": "normal",
    "overdue": "high",
}


def language_of(user_language: str | None) -> str:
    return user_language if user_language in LANGUAGES else "da"


def link_for(
    kind: str,
    plan_id: uuid.UUID | None,
    item_id: uuid.UUID | None,
    task: tuple[uuid.UUID, uuid.UUID] | None = None,
) -> str:
    """A route of the PWA's hash router; the service worker opens it on the app's origin.
    ``task``: (unit, task) of an årshjul task, shown in that unit's årshjul."""
    if task is not None:
        return f"/#/quality/{task[0]}/cycle/{task[1]}"
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
) -> dict[str, str]:
    """``task``: (unit, task) when the reminder is about an årshjul task, which that unit's
    årshjul shows (the PWA takes its own title for it from the route: notification.js)."""
    lang = language_of(user_language)
    titles = TASK_TITLES if task is not None and kind in TASK_TITLES else TITLES
    payload = {
        "title": titles[kind][lang],
        "url": link_for(kind, plan_id, item_id, task),
        "kind": kind,
        "lang": lang,
    }
    days = (params or {}).get("days")
    if kind == "due_soon" and isinstance(days, int):
        which = "today" if days <= 0 else "tomorrow" if days == 1 else "days"
        payload["body"] = DUE_BODIES[which][lang].format(days=days)
    return payload
