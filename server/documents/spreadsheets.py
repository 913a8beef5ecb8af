"""Items across plans as CSV or XLSX, for managers who follow up in a spreadsheet.

A heading row in the reader's language, then one line per item. States stay as their codes
(``in_progress``), so a sheet sorts and filters the same in every language.

Formula injection: a cell a spreadsheet would evaluate (starting with = + - @, or a tab or
carriage return) is written to CSV with a leading apostrophe, which spreadsheets show as text.
In XLSX every text cell is stored as a string cell, which is never evaluated; the apostrophe
is not needed there and would only show.
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
    words = labels_for(language).SPREADSHEET
    values: list[Any] = []
    for column in COLUMNS:
        value = getattr(line, column)
        if isinstance(value, bool):
            value = words["yes"] if value else words["no"]
        values.append(value)
    return values


def neutralise_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def items_csv(lines: Iterable[ItemLine], language: str) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read æ, ø, å and ä right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(language))
    for line in lines:
        writer.writerow(
            [
                neutralise_formula(v.isoformat() if isinstance(v, date) else str(v))
                if v is not None
                else ""
                for v in _values(line, language)
            ]
        )
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
