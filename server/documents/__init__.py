"""Plans as documents: Word out and in, items out as CSV/XLSX. No Flask in here.

    labels/          the printed words, one data module per language (da, sv, en)
    text.py          cleaning messy cell text; comparison keys; dates as people write them
    formats.py       dates, numbers, paper (A4) and CSV dialect in the reader's conventions (Babel)
    themes.py        "1. prioritet: <theme>" taken apart and matched to a catalogue
    model.py         plain values: PlanDocument (out), ParsedDocument (in), ItemLine (sheets)
    docx_export.py   PlanDocument -> .docx in the template's layout
    docx_import.py   .docx -> ParsedDocument, after refusing what is not a safe .docx
    spreadsheets.py  ItemLines -> CSV (formula-safe) or XLSX
    charts.py        bar and radar charts as PNG for the Word reports (fonts/ holds their font)
    service.py       what the API calls: permission-checked reads and the confirmed import

The import is two steps. ``preview_import`` parses and matches themes and writes nothing;
the user edits the preview; ``confirm_import`` creates the draft plan and its items through
``server.services.plans`` in the caller's transaction.
"""

from server.documents.docx_import import MAX_BYTES
from server.documents.service import (
    confirm_import,
    export_items,
    export_plan_docx,
    item_lines,
    plan_document,
    preview_import,
)

__all__ = [
    "MAX_BYTES",
    "confirm_import",
    "export_items",
    "export_plan_docx",
    "item_lines",
    "plan_document",
    "preview_import",
]
