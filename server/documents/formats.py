"""Dates, numbers and CSV dialects in the reader's conventions, with Babel (CLDR data).

One place says which Babel locale stands for each document language; everything printed
goes through the functions here, so a Danish reader gets "9. august 2021" and "4,0", a
Swedish one "9 augusti 2021" and "4,0", an English one "9 August 2021" and "4.0". English
is British English: day before month, as the Nordic readers of an English export expect.

Paper is A4 for every language (``use_a4``).

The CSV dialect follows the same choice: Excel in Denmark and Sweden reads ``;`` as the
separator (the comma is their decimal sign), Excel in English reads ``,``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_time
from babel.numbers import format_decimal, format_percent
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

A4_LONG, A4_SHORT = Cm(29.7), Cm(21.0)
BABEL_LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
CSV_SEPARATORS = {"da": ";", "sv": ";", "en": ","}
# A rating is an average on the 1-5 scale: one decimal, always shown ("4,0", not "4").
RATING_PATTERN = "0.0"
# A measured figure: thousands grouped, at most one decimal ("1.234,5", "12").
FIGURE_PATTERN = "#,##0.#"
NORDIC_TIME = "Europe/Copenhagen"
_NOT_NAME = re.compile(r"[\W_]+")


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, BABEL_LOCALES["da"])


def format_date(value: date | None, language: str) -> str:
    """The date written out in full ("9. august 2021"), or "" for none."""
    if value is None:
        return ""
    return babel_format_date(value, format="long", locale=babel_locale(language))


def format_datetime(value: datetime, language: str) -> str:
    """A moment as a reader there writes it ("2. marts 2026 10.05"), in Danish/Swedish time
    (the plans are Danish and Swedish; both countries share the zone)."""
    zone = ZoneInfo(NORDIC_TIME)
    local = value.astimezone(zone)
    locale = babel_locale(language)
    day = babel_format_date(local.date(), format="long", locale=locale)
    return f"{day} {format_time(local, format='short', tzinfo=zone, locale=locale)}"


def format_rating(value: float | None, language: str) -> str:
    if value is None:
        return ""
    return format_decimal(value, format=RATING_PATTERN, locale=babel_locale(language))


def format_figure(value: float, language: str) -> str:
    return format_decimal(value, format=FIGURE_PATTERN, locale=babel_locale(language))


def format_share(value: float, language: str) -> str:
    """A share 0..1 as a whole percentage ("50 %" in Danish and Swedish)."""
    return format_percent(value, locale=babel_locale(language))


def csv_separator(language: str) -> str:
    return CSV_SEPARATORS.get(language, CSV_SEPARATORS["da"])


def use_a4(document: Any, landscape: bool = False) -> None:
    """Every section on A4, the paper of every reader we print for (python-docx's blank
    document is US Letter)."""
    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = A4_LONG, A4_SHORT
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = A4_SHORT, A4_LONG


def slug(text: str, fallback: str = "plan") -> str:
    """A file-name part in the reader's letters: "Stöd och omsorg" -> "stöd-och-omsorg".
    The download header adds an ASCII form for clients that need one (api/downloads.py)."""
    words = _NOT_NAME.sub("-", unicodedata.normalize("NFC", text)).strip("-").casefold()
    return words[:60].rstrip("-") or fallback
