"""A plan as a Word document in the layout of the Danish templates (seeds 000 and 001).

Landscape A4. The title, then the header fields as a label/value grid, then one table:
the nine column headings, the guiding question under each, and one row per item whose TEMA
cell reads "1. prioritet: <theme>". The two heading rows repeat on every page.

After the table, a section lists each row's state and its evidence (attachments, on the row
and on its notes) and, when asked for, its progress notes with author and date: kept out of
the nine columns, so the table stays the template's and imports back as it was.

The HVORNÅR? cell writes the dates it knows as labelled lines first ("Start: 30. juni 2021",
"Sluttidspunkt: ...", "Varig ordning"; in Swedish "Klart senast:", in English "Complete by:")
and the free text after them; the import reads those lines back into the date fields, so
export followed by import gives the same plan.

HVEM? has two jobs: carrying out and following up. The same people for both are listed
plainly, as the template's one question asks; different people come under a labelled line per
job ("Gennemførelse:", "Opfølgning:"), which the import reads back to the same job.

Under the header fields, the quality model line names the catalogue version the plan is written
under ("Kvalitetsmodel: Kvalitetsmodellen for socialtilsyn – sociale tilbud (2025)"), then the
approval line says who approved the plan and when ("Godkendt af ledelsen: Mette Lund,
10. august 2021"), or that it is not approved yet.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row

from server.documents.formats import (
    A4_LONG,
    NORDIC_TIME,
    format_date,
    format_datetime,
    use_a4,
)
from server.documents.labels import columns_for, labels_for
from server.documents.model import AttachmentDocument, PlanDocument, RowDocument
from server.documents.text import xml_safe

MARGIN = Cm(1.5)
TABLE_FONT = Pt(9)
QUESTION_FONT = Pt(8)


def build_plan_docx(plan: PlanDocument, language: str) -> bytes:
    plan = xml_safe(plan)
    labels = labels_for(language)
    document = Document()
    _landscape_a4(document)
    document.core_properties.title = plan.title
    document.core_properties.author = "Følg"
    document.core_properties.last_modified_by = "Følg"
    document.core_properties.comments = ""

    document.add_heading(labels.TITLES[plan.kind], level=1)
    _header_fields(document, plan, language)
    document.add_paragraph()
    _plan_table(document, plan, language)
    _progress_section(document, plan, language)
    if plan.threads:
        _threads_appendix(document, plan, language)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _threads_appendix(document, plan: PlanDocument, language: str) -> None:
    """The dialogue with the inspectorate after the table, on a page of its own: the plan's
    thread, then each row's in the plan's order; each message signed with side, name and time."""
    labels = labels_for(language)
    document.add_page_break()
    document.add_heading(labels.THREADS["title"], level=2)
    for thread in plan.threads:
        if thread.priority is None:
            heading = labels.THREADS["plan"]
        else:
            heading = f"{labels.PRIORITY.format(n=thread.priority)} {thread.topic or ''}".strip()
        document.add_heading(heading, level=3)
        if not thread.messages:
            document.add_paragraph(labels.THREADS["none"]).runs[0].italic = True
        for message in thread.messages:
            author = message.author
            if message.side == "inspectorate":
                author = f"{labels.THREADS['inspector']} {author}"
            signature = document.add_paragraph()
            signature.add_run(author).bold = True
            signature.add_run(f" · {format_datetime(message.written_at, language)}")
            signature.paragraph_format.space_after = Pt(0)
            document.add_paragraph(message.body)


def _progress_section(document, plan: PlanDocument, language: str) -> None:
    """Per row: its state, the evidence attached to it, and (when asked for) its progress
    notes, each signed with author and date and followed by the evidence attached to it."""
    labels = labels_for(language)
    words = labels.PROGRESS
    if not plan.rows:
        return
    document.add_heading(words["title"] if plan.with_notes else words["title_no_notes"], level=2)
    for row in plan.rows:
        heading = f"{labels.PRIORITY.format(n=row.priority)} {row.topic or ''}".strip()
        document.add_heading(heading, level=3)
        state = document.add_paragraph()
        state.add_run(f"{words['state']}: ").bold = True
        state.add_run(labels.ITEM_STATES.get(row.state, row.state))
        _attachment_list(document, row.attachments, language, words["attachments"])
        if not plan.with_notes:
            continue
        if not row.notes:
            document.add_paragraph(words["no_notes"]).runs[0].italic = True
        for note in row.notes:
            signature = document.add_paragraph()
            signature.add_run(note.author).bold = True
            signature.add_run(f" · {format_datetime(note.written_at, language)}")
            if note.new_state:
                moved = labels.ITEM_STATES.get(note.new_state, note.new_state)
                signature.add_run(f" · {words['state']}: {moved}")
            signature.paragraph_format.space_after = Pt(0)
            document.add_paragraph(note.text)
            _attachment_list(document, note.attachments, language, words["note_attachments"])


def _attachment_list(
    document, attachments: tuple[AttachmentDocument, ...], language: str, title: str
) -> None:
    if not attachments:
        return
    words = labels_for(language).PROGRESS
    document.add_paragraph().add_run(f"{title}:").bold = True
    for a in attachments:
        kind = words["pdf"] if a.content_type == "application/pdf" else words["photo"]
        size = f"{max(1, round(a.size_bytes / 1024))} kB"
        when = format_date(a.attached_at.date(), language)
        line = f"{a.filename} ({kind}, {size}) · {a.author} · {when}"
        if a.caption:
            line += f" · {a.caption}"
        document.add_paragraph(line, style="List Bullet")


def _landscape_a4(document) -> None:
    use_a4(document, landscape=True)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _header_fields(document, plan: PlanDocument, language: str) -> None:
    """Three rows of label/value pairs, as in the template:
    title | ... ; unit or foster parents | date ; filled in by | manager; then, for a plan
    that answers an inspection, origin | inspection date; then the quality model and the
    approval line."""
    labels = labels_for(language)
    header = {
        **labels.HEADER,
        "catalogue": labels.CATALOGUE["label"],
        "approval": labels.APPROVAL["label"],
    }
    second: tuple[str, str | None] = (
        ("foster_parents", plan.foster_parents)
        if plan.kind == "dk_plejefamilie"
        else ("unit_name", plan.unit_name)
    )
    rows: list[list[tuple[str, str | None]]] = [
        [("title", plan.title)],
        [second, ("plan_date", format_date(plan.plan_date, language))],
        [("filled_in_by", plan.filled_in_by)],
    ]
    # The foster-family template has no Ledelsesansvarlig; print it only when one is named.
    if plan.kind != "dk_plejefamilie" or plan.responsible_manager:
        rows[2].append(("responsible_manager", plan.responsible_manager))
    # Not in the templates, but without it an import would make every plan "own initiative".
    if plan.origin != "own_initiative" or plan.inspection_date:
        origin = labels_for(language).ORIGINS[plan.origin]
        rows.append(
            [
                ("origin", origin),
                ("inspection_date", format_date(plan.inspection_date, language)),
            ]
        )
    catalogue = catalogue_text(plan, language)
    if catalogue is not None:
        rows.append([("catalogue", catalogue)])
    approval = approval_text(plan, language)
    if approval is not None:
        rows.append([("approval", approval)])
    table = document.add_table(rows=len(rows), cols=4)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cells, pairs in zip((r.cells for r in table.rows), rows, strict=True):
        if len(pairs) == 1:
            cells[1].merge(cells[3])
        for index, (key, value) in enumerate(pairs):
            _write(cells[index * 2], header[key], bold=True)
            _write(cells[index * 2 + 1], value or "")


def _plan_table(document, plan: PlanDocument, language: str) -> None:
    columns = columns_for(language, plan.kind, plan.result_label)
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    width = (A4_LONG - 2 * MARGIN) // len(columns)
    headings, questions = table.rows
    for index, (heading, question) in enumerate(columns):
        _write(headings.cells[index], heading, bold=True)
        _write(questions.cells[index], question, italic=True, size=QUESTION_FONT)
    _repeat_as_header(headings)
    _repeat_as_header(questions)
    for row in plan.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, _row_texts(row, language), strict=True):
            if cell is cells[0]:
                _write_theme(cell, labels_for(language).PRIORITY.format(n=row.priority), text)
                if row.criterion:
                    _write_criterion(cell, labels_for(language).CRITERION, row.criterion)
            else:
                _write(cell, text)
    for row in table.rows:
        for cell in row.cells:
            cell.width = width


def _row_texts(row: RowDocument, language: str) -> list[str]:
    return [
        row.theme_name or "",
        row.topic or "",
        row.goal or "",
        row.activities or "",
        row.resources or "",
        timeframe_text(row, language),
        row.documentation or "",
        responsible_text(row, language),
        row.result or "",
    ]


def catalogue_text(plan: PlanDocument, language: str) -> str | None:
    """ "<catalogue name> (<version>)", as the PWA's plan header names it; None without one."""
    if not plan.catalogue_name:
        return None
    words = labels_for(language).CATALOGUE
    return words["value"].format(name=plan.catalogue_name, version=plan.catalogue_version or "")


def approval_text(plan: PlanDocument, language: str) -> str | None:
    """ "<name>, <date>" of the approval, "not approved yet", or None: a foster-family plan
    need not be approved, so it prints the line only once it is."""
    words = labels_for(language).APPROVAL
    if plan.approved_at is not None:
        day = plan.approved_at.astimezone(ZoneInfo(NORDIC_TIME)).date()
        return words["by_at"].format(name=plan.approved_by or "", date=format_date(day, language))
    return None if plan.kind == "dk_plejefamilie" else words["not_yet"]


def responsible_text(row: RowDocument, language: str) -> str:
    """HVEM?: one name per line; a labelled block per job when the jobs have different people."""
    doing, following = list(row.responsible), list(row.follow_up_responsible)
    if doing == following:
        return "\n".join(doing)
    words = labels_for(language).RESPONSIBLE_ROLES
    lines = []
    for role, names in (("responsible", doing), ("follow_up_responsible", following)):
        if names:
            lines += [words[role], *names]
    return "\n".join(lines)


def timeframe_text(row: RowDocument, language: str) -> str:
    words = labels_for(language).TIMEFRAME
    lines = []
    if row.start_date:
        lines.append(f"{words['start']} {format_date(row.start_date, language)}")
    if row.end_date:
        lines.append(f"{words['end']} {format_date(row.end_date, language)}")
    if row.ongoing:
        lines.append(words["ongoing"])
    if row.timeframe_note:
        lines.append(row.timeframe_note)
    return "\n".join(lines)


def _write(cell: _Cell, text: str, bold: bool = False, italic: bool = False, size=TABLE_FONT):
    """One paragraph per line of ``text``, so a reader sees the author's line breaks."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold, run.italic, run.font.size = bold, italic, size


def _write_theme(cell: _Cell, label: str, theme_name: str) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(label)
    run.bold, run.font.size = True, TABLE_FONT
    if theme_name:
        run = paragraph.add_run(" " + theme_name)
        run.font.size = TABLE_FONT


def _write_criterion(cell: _Cell, label: str, text: str) -> None:
    """The row's criterion under its theme (seed 000: "konkrete kvalitetsmål/kriterier")."""
    paragraph = cell.add_paragraph()
    run = paragraph.add_run(f"{label} ")
    run.italic, run.font.size = True, TABLE_FONT
    run = paragraph.add_run(text)
    run.font.size = TABLE_FONT


def _repeat_as_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)
