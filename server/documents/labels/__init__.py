"""The words printed in a plan document, one data module per language (da, sv, en).

Each module defines the same names:

``TITLES``          document title per plan kind         } both from the one file the PWA
``COLUMN_SETS``     the nine column headings with the   } reads too (server/plan_templates.py)
                    guiding question under each, per layout
``HEADER``          the labels of the header fields (Beskrivelse/titel, Dato, ...)
``PRIORITY``        the label of a row, formatted with its number ("1. prioritet:")
``CRITERION``       the label of the criterion a row answers, under its theme ("Kriterium:")
``TIMEFRAME``       the labels written in the HVORNÅR? cell for dates and "Varig ordning"
``MONTH_PARTS``     words that place a date in a month written without a day ("ved udløb")
``RESPONSIBLE_ROLES`` the labels of HVEM?'s two jobs (carrying out, following up), when they differ
``CATALOGUE``       the header's quality model line: label, "name (version)"
``APPROVAL``        the header's approval line: label, "name, date", not approved yet
``MONTHS``          month names, for reading dates written out ("9. august 2021"); writing
                    them is Babel's (formats.py)
``SPREADSHEET``     the column headings of the CSV/XLSX item export, plus the yes/no words
``PLAN_STATES``, ``ITEM_STATES``, ``ORIGINS``  the words for those codes, as the PWA shows them
``THREADS``         the appendix with the plan's dialogue: its title, the plan's own thread,
                    the inspector's title before a name, an empty thread
``PROGRESS``        the section after the table: each row's state, its evidence
                    (attachments) and, optionally, its progress notes

The import parser reads every language's labels, so a Swedish user can import a Danish plan.
"""

from __future__ import annotations

from types import ModuleType

from server import plan_templates
from server.documents.labels import da, en, sv

LANGUAGES: dict[str, ModuleType] = {"da": da, "sv": sv, "en": en}
DEFAULT_LANGUAGE = "da"

# The model field behind each of the nine columns, in the template's order.
COLUMN_FIELDS = (
    "theme",
    "topic",
    "goal",
    "activities",
    "resources",
    "timeframe",
    "documentation",
    "responsible",
    "result",
)


def labels_for(language: str | None) -> ModuleType:
    return LANGUAGES.get(language or DEFAULT_LANGUAGE, LANGUAGES[DEFAULT_LANGUAGE])


def layout_for(kind: str, result_label: str) -> str:
    """Which column set a plan is printed with: the plejefamilie template has two variants,
    one ending in RESULTAT and one, worded differently, ending in STATUS; the tilbud template
    one (server/plan_templates.py)."""
    return plan_templates.layout_for(kind, result_label)


def columns_for(language: str | None, kind: str, result_label: str) -> list[tuple[str, str]]:
    """The nine (heading, guiding question) pairs for a plan, in the given language."""
    return labels_for(language).COLUMN_SETS[layout_for(kind, result_label)]
