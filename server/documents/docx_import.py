"""Reading a filled-in plan out of a .docx: checks first, then the header fields and the table.

The checks refuse, before python-docx sees the bytes:

    too large (> 5 MB)                 TooLarge      413
    not a zip, or no [Content_Types]   InvalidInput  422   fields.file
    damaged (bad zip, bad XML)         InvalidInput  422   fields.file
    macros (vbaProject.bin, .docm)     InvalidInput  422   fields.file
    not a Word document (an .xlsx)     InvalidInput  422   fields.file
    unpacks to far more than it packs  InvalidInput  422   fields.file   (a zip bomb)

The parser walks the body in order. The plan table is any table with a row of the known
column headings (in Danish, Swedish or English; TEMA/EMNE/.../RESULTAT or STATUS). Columns are
mapped by heading, so a template with a column more or less still reads. Under the headings
an optional row of guiding questions is skipped. Every other paragraph or table cell is a
candidate header field ("Dato: 9. august 2021", or "Dato:" in one cell and the date in the
next). Whatever fits nowhere is listed as unrecognised for the preview.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from difflib import SequenceMatcher
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from server.documents.labels import COLUMN_FIELDS, LANGUAGES
from server.documents.model import ParsedDocument, ParsedRow
from server.documents.text import clean_text, parse_date, squash, strip_tags
from server.documents.themes import split_priority
from server.documents.timeframe import read_timeframe
from server.i18n import _
from server.services.errors import InvalidInput, TooLarge

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ROWS = 200
MAX_UNRECOGNISED = 30
MAX_NESTING = 3
WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
ITEM_TEXT_FIELDS = ("topic", "goal", "activities", "resources", "documentation", "result")
RESPONSIBLE_ROLES = ("responsible", "follow_up_responsible")


def _build_vocabulary() -> tuple[dict[str, str], dict[str, str], set[str], dict[str, str]]:
    headings: dict[str, str] = {}
    questions: set[str] = set()
    header_labels: dict[str, str] = {}
    titles: dict[str, str] = {}
    for labels in LANGUAGES.values():
        for columns in labels.COLUMN_SETS.values():
            for field, (heading, question) in zip(COLUMN_FIELDS, columns, strict=True):
                headings[squash(heading)] = field
                if question:
                    questions.add(squash(question))
        for field, label in labels.HEADER.items():
            header_labels[squash(label)] = field
        for kind, title in labels.TITLES.items():
            titles[squash(title)] = kind
    # Words people use for the same header fields in their own versions of the template.
    header_labels.update({"titel": "title", "beskrivelse": "title", "tilbud": "unit_name"})
    return headings, header_labels, questions, titles


HEADINGS, HEADER_LABELS, QUESTIONS, TITLE_KINDS = _build_vocabulary()
# The origin as any language writes it ("Påbud", "Föreläggande") -> its code.
ORIGIN_WORDS = {
    squash(word): origin for labels in LANGUAGES.values() for origin, word in labels.ORIGINS.items()
}
# A header label that names the kind of plan it belongs to.
KIND_OF_LABEL = {"foster_parents": "dk_plejefamilie"}

# HVEM?'s labelled lines ("Opfølgning:") in any language -> the job they name.
RESPONSIBLE_LABELS = {
    squash(alias): role
    for _labels in LANGUAGES.values()
    for role, aliases in _labels.RESPONSIBLE_ALIASES.items()
    for alias in aliases
}
# The header's approval line is read so it is not "unrecognised"; an import starts a draft.
APPROVAL_LABELS = {squash(_labels.APPROVAL["label"]) for _labels in LANGUAGES.values()}
NOT_APPROVED = {squash(_labels.APPROVAL["not_yet"]) for _labels in LANGUAGES.values()}
# The header's quality model line ("Kvalitetsmodel: <name> (2025)"): its version is read, so an
# exported plan comes back under the version it was written under (services decide if it fits).
CATALOGUE_LABELS = {squash(_labels.CATALOGUE["label"]) for _labels in LANGUAGES.values()}
_VERSION_AT_END = re.compile(r"\(([^()]{1,40})\)\s*$")


def _refuse(message: str, reason: str) -> InvalidInput:
    """A refused file: the words for people under ``fields.file``, and ``reason``, one of
    ``empty``, ``not_docx``, ``corrupt``, ``macros``, for clients to act on (docs/api.md)."""
    return InvalidInput(message, fields={"file": [message]}, reason=reason)


# ---- the checks ----------------------------------------------------------------------------


def check_docx(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Raise unless ``data`` is a plausible, macro-free Word document of at most ``max_bytes``."""
    if len(data) > max_bytes:
        raise TooLarge(_("The file is larger than %(value)s MB.", value=max_bytes // (1024 * 1024)))
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    looks_zipped = data[:4] == b"PK\x03\x04"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        if looks_zipped:
            raise _refuse(
                _("The Word document is damaged and cannot be read."), "corrupt"
            ) from None
        raise _refuse(_("The file is not a Word document (.docx)."), "not_docx") from None
    with archive:
        infos = archive.infolist()
        names = {info.filename.casefold() for info in infos}
        if "[content_types].xml" not in names:
            raise _refuse(_("The file is not a Word document (.docx)."), "not_docx")
        if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise _refuse(
                _("The Word document unpacks to far more than its size; refused."), "corrupt"
            )
        if any(name.endswith(("vbaproject.bin", "vbadata.xml")) for name in names):
            raise _refuse(
                _("The document contains macros; save it as .docx without macros."), "macros"
            )
        try:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            damaged = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError):
            raise _refuse(
                _("The Word document is damaged and cannot be read."), "corrupt"
            ) from None
    if "macroenabled" in content_types.casefold():
        raise _refuse(_("The document contains macros; save it as .docx without macros."), "macros")
    if not any(main in content_types for main in WORD_MAIN_TYPES):
        raise _refuse(_("The file is not a Word document (.docx)."), "not_docx")
    if damaged is not None:
        raise _refuse(_("The Word document is damaged and cannot be read."), "corrupt")


def _open(data: bytes):
    try:
        return Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
        zlib.error,
    ):
        raise _refuse(_("The Word document is damaged and cannot be read."), "corrupt") from None


# ---- the parser ----------------------------------------------------------------------------


def parse_plan_docx(data: bytes, max_bytes: int = MAX_BYTES) -> ParsedDocument:
    check_docx(data, max_bytes)
    document = _open(data)
    parsed = ParsedDocument()
    fragments: list[str] = []
    found_table = _read_blocks(document.iter_inner_content(), parsed, fragments, depth=0)
    _read_header(fragments, parsed)
    if not found_table:
        parsed.warnings.append(
            _("No plan table found: no table has the column headings TEMA, EMNE, MÅL, ...")
        )
    elif not parsed.rows:
        parsed.warnings.append(_("The plan table has no filled-in rows."))
    _number_rows(parsed)
    return parsed


# The sections our own export writes after the plan table (each row's state and evidence, the
# dialogue): what they hold is no plan field, so reading stops at their heading.
EXPORT_SECTIONS = frozenset(
    squash(title)
    for labels in LANGUAGES.values()
    for title in (
        labels.PROGRESS["title"],
        labels.PROGRESS["title_no_notes"],
        labels.THREADS["title"],
    )
)


def _read_blocks(blocks, parsed: ParsedDocument, fragments: list[str], depth: int) -> bool:
    """Paragraphs become header candidates; a plan table is read; any other table is a layout
    table, whose cells are read the same way (a plan table may sit inside one)."""
    found = False
    for block in blocks:
        if isinstance(block, Paragraph):
            if found and depth == 0 and squash(block.text) in EXPORT_SECTIONS:
                return found
            fragments.extend(_fragments(block.text))
        elif isinstance(block, Table):
            if _read_plan_table(block, parsed):
                found = True
            elif depth < MAX_NESTING:
                for row in block.rows:
                    for tc in row._tr.tc_lst:
                        cell = _Cell(tc, block)
                        found |= _read_blocks(
                            cell.iter_inner_content(), parsed, fragments, depth + 1
                        )
    return found


def _fragments(text: str) -> list[str]:
    """Tabs separate fields as much as cells do (seed 000 is tab-separated)."""
    return [clean for part in text.split("\t") if (clean := clean_text(part))]


def _row_cells(row, table: Table) -> list[tuple[int, str]]:
    """(grid column, text) for each real cell of a row: merged cells appear once, at the
    column they start in, whatever python-docx does with spans."""
    cells = []
    column = 0
    for tc in row._tr.tc_lst:
        cell = _Cell(tc, table)
        text = "\n".join(p.text for p in cell.paragraphs)
        cells.append((column, text))
        column += tc.grid_span
    return cells


def _heading_columns(cells: list[tuple[int, str]]) -> dict[int, str] | None:
    """The column -> field mapping if this row is a row of column headings."""
    mapping = {col: field for col, text in cells if (field := _heading(text))}
    if len(mapping) >= 5 and "theme" in mapping.values():
        return mapping
    return None


def _heading(text: str) -> str | None:
    """The field a heading cell names; the cell may carry its guiding question below it."""
    lines = [line for line in strip_tags(text).split("\n") if squash(line)]
    if squash(text) in HEADINGS:
        return HEADINGS[squash(text)]
    return HEADINGS.get(squash(lines[0])) if lines else None


def _first_word(text: str) -> str:
    return next((squash(line) for line in strip_tags(text).split("\n") if squash(line)), "")


def _is_question_row(texts: dict[str, str]) -> bool:
    """The row of guiding questions under the headings, in any known wording, or one that is
    mostly questions: it is not a plan row."""
    if split_priority(texts.get("theme")).priority is not None:
        return False
    filled = [text for text in texts.values() if squash(text)]
    asked = sum(1 for text in filled if text.strip().endswith("?") or _is_question(squash(text)))
    return bool(filled) and asked >= max(2, (len(filled) + 1) // 2)


def _is_question(key: str) -> bool:
    if key in QUESTIONS:
        return True
    return any(
        SequenceMatcher(None, key, q).ratio() >= 0.8
        for q in QUESTIONS
        if abs(len(q) - len(key)) < len(q) // 4
    )


def _read_plan_table(table: Table, parsed: ParsedDocument) -> bool:
    """Read the rows under each row of headings. The result label (RESULTAT or STATUS) is
    that of the headings the first filled-in row sits under, as the foster-family template
    has an empty RESULTAT table above the STATUS one."""
    columns: dict[int, str] | None = None
    label = "result"
    for row in table.rows:
        cells = _row_cells(row, table)
        found = _heading_columns(cells)
        if found:
            columns = found
            last = dict(cells)[max(found)]
            is_status = _heading(last) == "result" and _first_word(last) == "status"
            label = "status" if is_status else "result"
            if not parsed.rows:
                parsed.result_label = parsed.result_label or label
            continue
        if columns is None:
            continue
        texts = {columns[col]: text for col, text in cells if col in columns}
        extra = [text for col, text in cells if col not in columns and clean_text(text)]
        if _is_question_row(texts):
            continue
        row_found = _read_row(texts)
        if row_found is None:
            continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.warnings.append(
                _("Only the first %(MAX_ROWS)s rows were read.", MAX_ROWS=MAX_ROWS)
            )
            break
        if not parsed.rows:
            parsed.result_label = label
        parsed.rows.append(row_found)
        for text in extra:
            _note_unrecognised(parsed, clean_text(text) or "")
    return columns is not None


def _read_row(texts: dict[str, str]) -> ParsedRow | None:
    if not any(squash(text) for text in texts.values()):
        return None  # blank, or a ruler of dashes left by a text conversion
    theme = split_priority(texts.get("theme"))
    values: dict[str, Any] = {field: clean_text(texts.get(field)) for field in ITEM_TEXT_FIELDS}
    values.update(read_timeframe(texts.get("timeframe")))
    values.update(_read_responsible(texts.get("responsible")))
    people = values["responsible"] or values["follow_up_responsible"]
    has_content = theme.theme_text or any(
        v for k, v in values.items() if k not in ("ongoing", *RESPONSIBLE_ROLES)
    )
    if not (has_content or people or values["ongoing"]):
        return None  # an empty template row: "2. prioritet:" and nothing else
    raw_theme = clean_text(strip_tags(texts.get("theme") or "")) or ""
    return ParsedRow(theme.priority, raw_theme, theme.theme_text, values)


_NAME_SEPARATORS = re.compile(r"\n|;|\t| {2,}|\u00a0{2,}")


def _read_responsible(text: str | None) -> dict[str, list[dict[str, str]]]:
    """HVEM?'s two jobs. Names under a label ("Opfølgning:") go to that job; names before any
    label answer the template's one question ("ansvarlig for gennemførelse og opfølgning"),
    so they hold both jobs."""
    found: dict[str, list[str]] = {role: [] for role in RESPONSIBLE_ROLES}
    role: str | None = None
    for line in strip_tags(text or "").split("\n"):
        label, colon, rest = line.partition(":")
        if colon and squash(label) in RESPONSIBLE_LABELS:
            role = RESPONSIBLE_LABELS[squash(label)]
            line = rest
        for name in _names(line):
            for job in (role,) if role else RESPONSIBLE_ROLES:
                if name not in found[job]:
                    found[job].append(name)
    return {job: [{"name": name} for name in names] for job, names in found.items()}


def _names(text: str | None) -> list[str]:
    """HVEM?: one person per line (or per ';', or per gap of several spaces, as in seed 000)."""
    text = strip_tags(text or "")
    return [name for part in _NAME_SEPARATORS.split(text) if (name := clean_text(part))]


def _read_header(fragments: list[str], parsed: ParsedDocument) -> None:
    index = 0
    while index < len(fragments):
        fragment = fragments[index]
        index += 1
        field, value = _labelled(fragment)
        if field is None and _has_label(fragment, CATALOGUE_LABELS):
            value = clean_text(fragment.partition(":")[2])
            if not value and index < len(fragments) and not _is_label(fragments[index]):
                value = fragments[index]
                index += 1
            version = _VERSION_AT_END.search(value or "")
            if version:
                parsed.header.setdefault("catalogue_version", clean_text(version.group(1)))
            elif value:
                _note_unrecognised(parsed, value)
            continue
        if field is None and _has_label(fragment, APPROVAL_LABELS):
            value = clean_text(fragment.partition(":")[2])
            if not value and index < len(fragments) and not _is_label(fragments[index]):
                value = fragments[index]  # the name and date in the next cell
                index += 1
            if value and squash(value) not in NOT_APPROVED:
                # Approved elsewhere: the imported plan is a draft, approved here again.
                parsed.warnings.append(
                    _("The document says it was approved; the imported plan is a draft to approve.")
                )
            continue
        if field is None:
            kind = TITLE_KINDS.get(squash(fragment))
            if kind:
                parsed.kind_hint = parsed.kind_hint or kind
            else:
                _note_unrecognised(parsed, fragment)
            continue
        if not value and index < len(fragments) and not _is_label(fragments[index]):
            value = fragments[index]
            index += 1
        parsed.kind_hint = parsed.kind_hint or KIND_OF_LABEL.get(field)
        if not value or field in parsed.header:
            continue
        if field == "origin":
            origin = ORIGIN_WORDS.get(squash(value))
            if origin is None:
                parsed.warnings.append(
                    _("The background '%(value)s' was not understood.", value=value[:40])
                )
                _note_unrecognised(parsed, fragment)
                continue
            parsed.header[field] = origin
        elif field in ("plan_date", "inspection_date"):
            found = parse_date(value)
            if found is None:
                parsed.warnings.append(
                    _("The date '%(value)s' was not understood.", value=value[:40])
                )
                _note_unrecognised(parsed, fragment)
                continue
            parsed.header[field] = found
        else:
            parsed.header[field] = value


def _is_label(fragment: str) -> bool:
    """Whether a header cell is a label (so not the value of the empty field before it)."""
    return _labelled(fragment)[0] is not None or _has_label(
        fragment, CATALOGUE_LABELS | APPROVAL_LABELS
    )


def _has_label(fragment: str, labels: set[str]) -> bool:
    label, colon, _rest = fragment.partition(":")
    return bool(colon) and squash(label) in labels


def _labelled(fragment: str) -> tuple[str | None, str | None]:
    label, colon, rest = fragment.partition(":")
    if len(label) <= 60 and squash(label) in HEADER_LABELS:
        return HEADER_LABELS[squash(label)], clean_text(rest) if colon else None
    return None, None


def _note_unrecognised(parsed: ParsedDocument, text: str) -> None:
    if len(parsed.unrecognised) < MAX_UNRECOGNISED:
        parsed.unrecognised.append(text[:300])
    elif len(parsed.unrecognised) == MAX_UNRECOGNISED:
        parsed.unrecognised.append("…")


def _number_rows(parsed: ParsedDocument) -> None:
    """Keep the priorities the document states when they are distinct; else number by order."""
    stated = [row.priority for row in parsed.rows]
    if None in stated or len(set(stated)) != len(stated):
        if any(p is not None for p in stated):
            parsed.warnings.append(_("The rows' priorities were missing or repeated; renumbered."))
        for number, row in enumerate(parsed.rows, start=1):
            row.priority = number
