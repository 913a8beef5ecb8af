"""What a notice says, in each language: a row's end date or a påbud's frist, carrying a row
out or following it up; fixed phrases and numbers only (messages.py)."""

from __future__ import annotations

import uuid

import pytest

from server import create_app
from server.push.messages import render_payload

ITEM = uuid.UUID("6f1c0d3e-0000-4000-8000-000000000001")
PLAN = uuid.UUID("6f1c0d3e-0000-4000-8000-000000000002")


@pytest.fixture(scope="module")
def catalogues():
    """An app context for the catalogues; rendering reads no database."""
    with create_app({"DATABASE_URL": "sqlite://", "TESTING": True}).app_context():
        yield


# (kind, params, {language: (title, body or None)})
WORDING = [
    (
        "due_soon",
        {"about": "end_date", "days": 3},
        {
            "da": ("En indsats nærmer sig sit sluttidspunkt", "Sluttidspunktet er om 3 dage."),
            "sv": ("En åtgärd närmar sig sitt slutdatum", "Slutdatumet är om 3 dagar."),
            "en": ("An item is nearing its end date", "The end date is in 3 days."),
        },
    ),
    (
        "due_soon",
        {"about": "end_date", "days": 1},
        {
            "da": ("En indsats nærmer sig sit sluttidspunkt", "Sluttidspunktet er i morgen."),
            "sv": ("En åtgärd närmar sig sitt slutdatum", "Slutdatumet är i morgon."),
            "en": ("An item is nearing its end date", "The end date is tomorrow."),
        },
    ),
    (
        "due_soon",
        {"about": "end_date", "days": 0},
        {
            "da": ("En indsats nærmer sig sit sluttidspunkt", "Sluttidspunktet er i dag."),
            "sv": ("En åtgärd närmar sig sitt slutdatum", "Slutdatumet är i dag."),
            "en": ("An item is nearing its end date", "The end date is today."),
        },
    ),
    (
        "due_soon",
        {"about": "deadline", "days": 3},
        {
            "da": ("Fristen for et påbud nærmer sig", "Fristen er om 3 dage."),
            "sv": ("Tidsfristen för ett föreläggande närmar sig", "Tidsfristen går ut om 3 dagar."),
            "en": ("The deadline of an order is near", "The deadline is in 3 days."),
        },
    ),
    (
        "due_soon",
        {"about": "deadline", "days": 1},
        {
            "da": ("Fristen for et påbud nærmer sig", "Fristen er i morgen."),
            "sv": ("Tidsfristen för ett föreläggande närmar sig", "Tidsfristen går ut i morgon."),
            "en": ("The deadline of an order is near", "The deadline is tomorrow."),
        },
    ),
    (
        "due_soon",
        {"about": "deadline", "days": 0},
        {
            "da": ("Fristen for et påbud nærmer sig", "Fristen er i dag."),
            "sv": ("Tidsfristen för ett föreläggande närmar sig", "Tidsfristen går ut i dag."),
            "en": ("The deadline of an order is near", "The deadline is today."),
        },
    ),
    (
        "overdue",
        {"about": "end_date"},
        {
            "da": ("En indsats har overskredet sit sluttidspunkt", None),
            "sv": ("En åtgärd har passerat sitt slutdatum", None),
            "en": ("An item is past its end date", None),
        },
    ),
    (
        "overdue",
        {"about": "deadline"},
        {
            "da": ("Fristen for et påbud er overskredet", None),
            "sv": ("Tidsfristen för ett föreläggande har gått ut", None),
            "en": ("The deadline of an order has passed", None),
        },
    ),
    (
        "assigned",
        {},
        {
            "da": ("Du er blevet ansvarlig for en indsats", None),
            "sv": ("Du har blivit ansvarig för en åtgärd", None),
            "en": ("You are now responsible for an item", None),
        },
    ),
    (
        "assigned",
        {"about": "follow_up"},
        {
            "da": ("Du er blevet ansvarlig for at følge op på en indsats", None),
            "sv": ("Du har blivit ansvarig för uppföljningen av en åtgärd", None),
            "en": ("You are now responsible for following up an item", None),
        },
    ),
    (
        "note_added",
        {},
        {
            "da": ("Nyt notat på en indsats, du er ansvarlig for", None),
            "sv": ("Ny anteckning på en åtgärd du är ansvarig för", None),
            "en": ("New progress note on an item you are responsible for", None),
        },
    ),
    (
        "note_added",
        {"about": "follow_up"},
        {
            "da": ("Nyt notat på en indsats, du følger op på", None),
            "sv": ("Ny anteckning på en åtgärd du följer upp", None),
            "en": ("New progress note on an item you follow up", None),
        },
    ),
]
CASES = [
    pytest.param(kind, params, lang, *said, id=f"{kind}-{params.get('about')}-{lang}-{n}")
    for n, (kind, params, languages) in enumerate(WORDING)
    for lang, said in languages.items()
]


@pytest.mark.usefixtures("catalogues")
@pytest.mark.parametrize(("kind", "params", "lang", "title", "body"), CASES)
def test_each_notice_says_what_it_is_about_in_the_readers_words(kind, params, lang, title, body):
    payload = render_payload(kind, lang, PLAN, ITEM, dict(params))

    expected = {"title": title, "url": f"/#/items/{ITEM}", "kind": kind, "lang": lang}
    if body is not None:
        expected["body"] = body
    if "about" in params:
        expected["about"] = params["about"]
    elif kind in ("due_soon", "overdue"):
        expected["about"] = "end_date"
    assert payload == expected


@pytest.mark.usefixtures("catalogues")
@pytest.mark.parametrize("lang", ["da", "sv", "en"])
def test_a_rows_reminder_queued_before_about_existed_speaks_of_its_end_date(lang):
    for kind, params in (("due_soon", {"days": 3}), ("overdue", {}), ("due_soon", {"about": "x"})):
        old = render_payload(kind, lang, PLAN, ITEM, dict(params))
        new = render_payload(kind, lang, PLAN, ITEM, {**params, "about": "end_date"})
        assert old == new


@pytest.mark.usefixtures("catalogues")
def test_an_arshjul_task_keeps_its_own_words_and_no_about():
    unit, task = uuid.uuid4(), uuid.uuid4()
    payload = render_payload("due_soon", "da", None, None, {"days": 3}, task=(unit, task))

    assert payload == {
        "title": "En opgave i årshjulet nærmer sig sin frist",
        "body": "Fristen er om 3 dage.",
        "url": f"/#/quality/{unit}/cycle/{task}",
        "kind": "due_soon",
        "lang": "da",
    }


@pytest.mark.usefixtures("catalogues")
def test_an_about_a_kind_does_not_have_is_ignored():
    assert "about" not in render_payload("plan_approved", "sv", PLAN, None, {"about": "follow_up"})
    assert "about" not in render_payload("assigned", "sv", PLAN, ITEM, {"about": "deadline"})
