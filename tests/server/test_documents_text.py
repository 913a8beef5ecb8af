"""Theme matching, cell cleaning and date reading on their own: no database, no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from server.documents.formats import format_date
from server.documents.text import clean_text, parse_date
from server.documents.themes import match_theme, split_priority


@dataclass(frozen=True)
class Theme:
    name: str
    number: int | None


THEMES = [
    Theme("Uddannelse og beskæftigelse", 1),
    Theme("Selvstændighed og relationer", 2),
    Theme("Målgruppe, metoder og resultater", 3),
    Theme("Sundhed og trivsel", 4),
    Theme("Organisation og ledelse", 5),
    Theme("Kompetencer", 6),
    Theme("Fysiske rammer", 7),
    Theme("Økonomi", None),
]


@pytest.mark.parametrize(
    ("cell", "priority", "theme"),
    [
        ("1. prioritet: Selvstændighed og relationer", 1, "Selvstændighed og relationer"),
        ("<b>1. prioritet:</b>  Selvstændighed og relationer", 1, "Selvstændighed og relationer"),
        ("<p><b>2. prioritet:</b> Sundhed og trivsel</p>", 2, "Sundhed og trivsel"),
        ("1. prioritet: \n \nSelvstændighed og \nrelationer ", 1, "Selvstændighed og relationer"),
        ("3.prioritet SUNDHED   OG TRIVSEL", 3, "Sundhed og trivsel"),
        ("Prioritet 2: selvstændig-\nhed og relationer", 2, "Selvstændighed og relationer"),
        ("Priority 1: Fysiske rammer", 1, "Fysiske rammer"),
        ("Tema 4: Sundhed og trivsel – magtanvendelse", None, "Sundhed og trivsel"),
        ("Tema 6", None, "Kompetencer"),
        ("Sundhed og trivssel", None, "Sundhed og trivsel"),
        ("økonomi", None, "Økonomi"),
        ("1. prioritet: Haven", 1, None),
        ("2. prioritet:", 2, None),
    ],
)
def test_theme_cells_are_taken_apart_and_matched(cell, priority, theme):
    parsed = split_priority(cell)
    found = match_theme(parsed.theme_text, THEMES)
    assert parsed.priority == priority
    assert (found.name if found else None) == theme


def test_the_longest_theme_named_inside_the_text_wins():
    themes = [Theme("Ledelse", 1), Theme("Organisation og ledelse", 5)]
    assert match_theme("Organisation og ledelse", themes).number == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9. august 2021", date(2021, 8, 9)),
        ("Dato: 9. aug. 2021", date(2021, 8, 9)),
        ("tilsynsdato 22.3-2021", date(2021, 3, 22)),
        ("2021-08-09", date(2021, 8, 9)),
        ("09/08/2021", date(2021, 8, 9)),
        ("15 januari 2026", date(2026, 1, 15)),
        ("30 September 2026", date(2026, 9, 30)),
        ("31.2.2021 eller 1.3.2021", date(2021, 3, 1)),
        ("Ved udløb september 2021", None),
        ("", None),
    ],
)
def test_dates_as_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_written_dates_read_back(language):
    for day in (date(2026, 1, 1), date(2026, 5, 17), date(2026, 12, 31)):
        assert parse_date(format_date(day, language)) == day


def test_clean_text_keeps_the_authors_lines_and_drops_tag_remnants():
    raw = "<p>Start: 30. juni 2021</p> <p>Slut:\u00a0 ved udløb</p>\n\n\n<b>Noter</b>  \n"
    assert clean_text(raw) == "Start: 30. juni 2021\nSlut: ved udløb\n\nNoter"
    assert clean_text("  \n ") is None
    assert clean_text("a < b og c > d") == "a < b og c > d"
