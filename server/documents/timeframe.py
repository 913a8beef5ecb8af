"""HVORNÅR? as people write it, read into a start date, an end date, "ongoing" and a note.

Seed 000 writes "12. juli 2021  Varig ordning" in one cell and "Start: 30. juni 2021 /
Sluttidspunkt: Ved udløb september 2021" in another. The cell is cut into statements (its
lines, and within a line at each label or "Varig ordning"), and each statement is one of::

    "Start: 30. juni 2021"              labelled exact date   -> start_date, not kept as text
    "Sluttidspunkt: 30. september 2021" labelled exact date   -> end_date, not kept as text
    "12. juli 2021", "1.3.2021 - 1.6.2021"  bare dates        -> see below, not kept as text
    "Varig ordning", "Løbende"          ongoing               -> ongoing, not kept as text
    "Ved udløb september 2021"          a month without a day -> its last (first, middle) day,
                                                                 and the words kept as text
    anything else                       free text             -> kept as text, as written

A bare date is the start when the row is ongoing or a second bare date follows (a range);
a single bare date alone is the end ("by when"). A date already taken leaves a later one as
text. The note keeps every word the stored fields do not already say, so a document written
back (``docx_export.timeframe_text``) prints each date once and reads back the same.

A month without a day is a reading, not what the person wrote, so its words stay in the note
beside the date we derived; the preview shows both, and the manager corrects either.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.documents.labels import LANGUAGES
from server.documents.text import clean_text, parse_date

_ROLES = ("start", "end")
# Words that may join two dates of a range, or stand around a date, without meaning more.
_FILLER = re.compile(r"^(?:[\s\-–—/.,:;]|fra|fra og med|til|till|from|to|until|den|d\.)*$", re.I)


def _aliases(key: str) -> list[str]:
    found = {
        alias.casefold().rstrip(":").strip()
        for lab in LANGUAGES.values()
        for alias in lab.TIMEFRAME_ALIASES[key]
    }
    return sorted(found, key=len, reverse=True)


_LABELS = {role: _aliases(role) for role in _ROLES}
_ONGOING = _aliases("ongoing")
_MONTH_PARTS: dict[str, list[str]] = {}
for _labels in LANGUAGES.values():
    for _part, _words in _labels.MONTH_PARTS.items():
        _MONTH_PARTS.setdefault(_part, []).extend(w.casefold() for w in _words)
_MONTHS = {
    name.casefold(): number
    for lab in LANGUAGES.values()
    for number, name in enumerate(lab.MONTHS, start=1)
}

# A label at the start of a statement, with its colon ("Sluttidspunkt:"), or a label word
# followed by a colon anywhere (where a second statement begins inside one line).
_LABEL_RE = re.compile(
    r"(?<!\w)(?P<label>"
    + "|".join(re.escape(a) for role in _ROLES for a in _LABELS[role])
    + r")\s*:",
    re.IGNORECASE,
)
# "Varig ordning" as a statement of its own: at the end of the line or before a stop, so
# "Løbende opfølgning på personalemøder" stays text.
_ONGOING_RE = re.compile(
    r"(?<!\w)(?P<ongoing>" + "|".join(re.escape(a) for a in _ONGOING) + r")(?=\s*(?:[.,;/]|$))\.?",
    re.IGNORECASE,
)
_PART_WORDS = sorted({w for ws in _MONTH_PARTS.values() for w in ws}, key=len, reverse=True)
_MONTH_RE = re.compile(
    r"(?P<part>"
    + "|".join(re.escape(w) for w in _PART_WORDS)
    + r")?\s*(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})",
    re.IGNORECASE | re.UNICODE,
)
_EXACT_RE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}"
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?\s+\d{4}",
    re.UNICODE,
)


@dataclass
class _Statement:
    role: str | None  # "start" | "end" | "ongoing" | None (a label-less statement)
    text: str  # without its label
    written: str  # as written, label and all


@dataclass
class _Bare:
    """A label-less statement with dates: where they go is decided once all are read."""

    dates: list[date]
    words: str | None  # kept in the note whatever happens (a month read as a day)
    text: str  # as written, kept if a date finds no free field


def read_timeframe(text: str | None) -> dict[str, Any]:
    """The HVORNÅR? cell as item fields: start_date, end_date, ongoing, timeframe_note."""
    found: dict[str, Any] = {"start_date": None, "end_date": None, "ongoing": False}
    kept: list[str] = []
    bare: list[_Bare] = []
    for statement in _statements(clean_text(text) or ""):
        if statement.role == "ongoing":
            if found["ongoing"]:
                kept.append(statement.text)
            found["ongoing"] = True
            continue
        dates, words = _dates_in(statement.text, statement.role)
        if statement.role in _ROLES and len(dates) == 1:
            field = f"{statement.role}_date"
            if found[field] is None:
                found[field] = dates[0]
                if words:
                    kept.append(words)
                continue
        if statement.role is None and dates:
            bare.append(_Bare(dates, words, statement.text))
            if words:
                kept.append(words)
            continue
        kept.append(statement.written)
    kept.extend(_place_bare_dates(found, bare))
    found["timeframe_note"] = clean_text("\n".join(kept)) or None
    return found


def _statements(text: str) -> list[_Statement]:
    """The cell's lines, each cut at a label ("Start:") and around an ongoing phrase."""
    statements: list[_Statement] = []
    for line in text.split("\n"):
        cuts = {0, *(m.start() for m in _LABEL_RE.finditer(line))}
        for m in _ONGOING_RE.finditer(line):
            before = line[: m.start()].rstrip()
            # A statement of its own: first, or after a stop or a date ("12. juli 2021 Varig
            # ordning"); "Evalueres løbende" is one statement.
            if not before or before[-1] in ".,;/:" or before[-1].isdigit():
                cuts |= {m.start(), m.end()}
        ordered = sorted(cuts)
        for start, end in zip(ordered, [*ordered[1:], len(line)], strict=True):
            piece = line[start:end].strip(" /;,")
            if not piece:
                continue
            label = _LABEL_RE.match(piece)
            if label:
                word = label.group("label").casefold()
                role = next(r for r in _ROLES if word in _LABELS[r])
                statements.append(_Statement(role, piece[label.end() :].strip(), piece))
            elif _ONGOING_RE.fullmatch(piece):
                statements.append(_Statement("ongoing", piece, piece))
            else:
                statements.append(_Statement(None, piece, piece))
    return _join_broken_lines(statements)


def _join_broken_lines(statements: list[_Statement]) -> list[_Statement]:
    """A PDF breaks a cell's lines anywhere (seed 002: "Sluttidspunkt: Ved" / "udløb september
    2021"): a label whose words hold no date takes the label-less line after it."""
    joined: list[_Statement] = []
    for statement in statements:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.role in _ROLES
            and statement.role is None
            and not _dates_in(last.text, last.role)[0]
        ):
            last.text = f"{last.text} {statement.text}".strip()
            last.written = f"{last.written} {statement.written}"
            continue
        joined.append(statement)
    return joined


def _dates_in(text: str, role: str | None) -> tuple[list[date], str | None]:
    """The dates a statement says, and the words to keep: none when it is only dates (and
    words that join them), its words as written when a date was read from a month alone."""
    exact = [d for m in _EXACT_RE.finditer(text) if (d := parse_date(m.group(0))) is not None]
    if exact:
        only_dates = _FILLER.match(_EXACT_RE.sub(" ", text).strip())
        return (exact, None) if only_dates else ([], None)
    month = _MONTH_RE.search(text)
    if month and month.group("month").casefold() in _MONTHS:
        part = _part_of(month.group("part"), role)
        year, number = int(month.group("year")), _MONTHS[month.group("month").casefold()]
        day = {"first": 1, "middle": 15, "last": calendar.monthrange(year, number)[1]}[part]
        return [date(year, number, day)], text
    return [], None


def _part_of(words: str | None, role: str | None) -> str:
    if words:
        folded = " ".join(words.casefold().split())
        for part, choices in _MONTH_PARTS.items():
            if folded in choices:
                return part
    # "september 2021" alone: the whole month, so from its first day or to its last.
    return "first" if role == "start" else "last"


def _place_bare_dates(found: dict[str, Any], bare: list[_Bare]) -> list[str]:
    """Bare dates in order: the start when the row is ongoing or another date follows, else
    the end. Returns the statements whose date found no free field, to keep as text."""
    left: list[str] = []
    dates = [(when, b) for b in bare for when in b.dates]
    for index, (when, statement) in enumerate(dates):
        more = index + 1 < len(dates)
        start, end = found["start_date"], found["end_date"]
        if start is None and end is None and (found["ongoing"] or more):
            found["start_date"] = when
        elif end is None and (start is None or when >= start):
            found["end_date"] = when
        elif start is None and when <= end:
            found["start_date"] = when
        elif not statement.words and statement.text not in left:
            left.append(statement.text)
    return left
