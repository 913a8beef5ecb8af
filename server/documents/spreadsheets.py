"""Items across plans as CSV or XLSX, for managers who follow up in a spreadsheet.

A heading row in the reader's language, then one line per item. Plan and item states are
written in the reader's words too ("I gang", "Pågår"), as the PWA shows them; dates stay ISO
(2026-01-31), which Excel reads as a date in every locale and which sorts as text too.

CSV is written as Excel in the reader's country opens it by a double click: UTF-8 with a
byte-order mark (or æ, ø, å and ä come out garbled), ``;`` between cells and a decimal comma
for Danish and Swedish, ``,`` and a decimal point for English (formats.py).

Formula injection: every CSV cell is quoted, so no separator inside a text ends a cell; and
a cell a spreadsheet would evaluate (starting with = + - @, or a tab or carriage return) gets
a leading apostrophe, which spreadsheets show as text. The same is done at the start of every
``;``-separated part of a text ("Se bilag;=1337*2"), for a reader that splits on ``;``
whatever the quotes say. In XLSX every text cell is stored as a string cell, which is never
evaluated; the apostrophe is not needed there and would only show. The sheet prints on A4.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from server.documents.formats import csv_separator, format_figure
from server.documents.labels import labels_for
from server.documents.model import ItemLine

COLUMNS = (
    "unit",
    "plan",
    "plan_state",
    "priority",
    "theme",
    "topic",
    "goal",
    "activities",
    "resources",
    "start_date",
    "end_date",
    "ongoing",
    "timeframe_note",
    "documentation",
    "responsible",
    "follow_up_responsible",
    "result",
    "state",
    "overdue",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def headings(language: str) -> list[str]:
    words = labels_for(language).SPREADSHEET
    return [words[column] for column in COLUMNS]


def _values(line: ItemLine, language: str) -> list[Any]:
    labels = labels_for(language)
    words = labels.SPREADSHEET
    values: list[Any] = []
    for column in COLUMNS:
        value = getattr(line, column)
        if isinstance(value, bool):
            value = words["yes"] if value else words["no"]
        elif column == "plan_state":
            value = labels.PLAN_STATES.get(value, value)
        elif column == "state":
            value = labels.ITEM_STATES.get(value, value)
        values.append(value)
    return values


def neutralise_formula(text: str) -> str:
    """An apostrophe before each part of ``text`` (split at ``;``) a spreadsheet would
    evaluate."""
    return ";".join(
        "'" + part if part.startswith(FORMULA_STARTS) else part for part in text.split(";")
    )


def csv_cell(value: Any, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format_figure(value, language)
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value))


def items_csv(lines: Iterable[ItemLine], language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=csv_separator(language), quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerow([neutralise_formula(heading) for heading in headings(language)])
    for line in lines:
        writer.writerow([csv_cell(value, language) for value in _values(line, language)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def items_xlsx(lines: Iterable[ItemLine], language: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = labels_for(language).SPREADSHEET["plan"]
    sheet.append(headings(language))
    for row_number, line in enumerate(lines, start=2):
        for column_number, value in enumerate(_values(line, language), start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, str):
                cell.value = _ILLEGAL_XML.sub("", value)
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
