"""Plain values the document writers and readers work on, free of the database.

``PlanDocument`` is a plan as printed: names instead of ids. ``ParsedDocument`` is what the
import parser found in a .docx, before any theme is matched against a catalogue.
``ItemLine`` is one row of the CSV/XLSX item export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class AttachmentDocument:
    """A piece of evidence as listed in the document: its name, type, size, who and when."""

    filename: str
    content_type: str
    size_bytes: int
    author: str
    attached_at: datetime
    caption: str | None = None


@dataclass(frozen=True)
class NoteDocument:
    """A progress note as printed: who, when, what, the state it moved the row to, and the
    evidence attached to it."""

    author: str
    written_at: datetime
    text: str
    new_state: str | None = None
    attachments: tuple[AttachmentDocument, ...] = ()


@dataclass(frozen=True)
class RowDocument:
    priority: int
    theme_name: str | None
    topic: str | None = None
    goal: str | None = None
    activities: str | None = None
    resources: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    ongoing: bool = False
    timeframe_note: str | None = None
    documentation: str | None = None
    responsible: tuple[str, ...] = ()  # HVEM?: carrying out
    result: str | None = None
    # The criterion (kriterium) of the theme the row answers, as text.
    criterion: str | None = None
    follow_up_responsible: tuple[str, ...] = ()  # HVEM?: following up
    state: str = "not_started"
    # Evidence on the row itself; a note's own is in its NoteDocument.
    attachments: tuple[AttachmentDocument, ...] = ()
    # The progress notes, when asked for (``?notes=1``), oldest first.
    notes: tuple[NoteDocument, ...] = ()


@dataclass(frozen=True)
class MessageDocument:
    """One message of the plan's dialogue as printed: who (a name), which side, when, what."""

    author: str
    side: str  # "inspectorate" | "provider"
    written_at: datetime
    body: str


@dataclass(frozen=True)
class ThreadDocument:
    """The plan's own thread (``priority`` None) or a row's, with its messages, oldest first."""

    priority: int | None
    topic: str | None
    messages: tuple[MessageDocument, ...] = ()


@dataclass(frozen=True)
class PlanDocument:
    kind: str
    result_label: str
    title: str
    unit_name: str | None = None
    plan_date: date | None = None
    filled_in_by: str | None = None
    responsible_manager: str | None = None
    foster_parents: str | None = None
    origin: str = "own_initiative"
    inspection_date: date | None = None
    rows: tuple[RowDocument, ...] = ()
    # The dialogue appendix, when asked for (``?threads=1``); empty: no appendix.
    threads: tuple[ThreadDocument, ...] = ()
    # The catalogue version the plan is written under (the header's quality model line).
    catalogue_name: str | None = None
    catalogue_version: str | None = None
    # Who approved the plan and when (the header's approval line); None: not approved.
    approved_by: str | None = None
    approved_at: datetime | None = None
    # Whether the progress notes were asked for: the section after the table then lists them.
    with_notes: bool = False


@dataclass
class ParsedRow:
    """One filled-in row of the plan table. ``values`` holds the item fields found in it
    (topic, goal, ..., responsible and follow_up_responsible as ``[{"name": ...}]``); the
    theme is still text."""

    priority: int | None
    raw_theme: str
    theme_text: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    header: dict[str, Any] = field(default_factory=dict)
    result_label: str | None = None
    # The plan kind the document's own labels suggest ("Plejeforældres navn og adresse").
    kind_hint: str | None = None
    rows: list[ParsedRow] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ItemLine:
    unit: str
    plan: str
    plan_state: str
    priority: int
    theme: str | None
    topic: str | None
    goal: str | None
    activities: str | None
    resources: str | None
    start_date: date | None
    end_date: date | None
    ongoing: bool
    timeframe_note: str | None
    documentation: str | None
    responsible: str
    result: str | None
    state: str
    overdue: bool
    follow_up_responsible: str = ""
